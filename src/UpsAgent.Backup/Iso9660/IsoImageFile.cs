using UpsAgent.Backup.Posix;

namespace UpsAgent.Backup.Iso9660;

/// <summary>Snapshot, plan and write of a whole image file, as "iso build" does it.</summary>
public static class IsoImageFile
{
    public static IsoPlan Build(string sourceDirectory, string outputPath, IsoOptions options, CancellationToken cancellationToken = default)
    {
        SourceNode root = SourceScanner.Scan(sourceDirectory);
        IsoPlan plan = IsoPlanner.Plan(root, options);
        string full = Path.GetFullPath(outputPath);
        string temp = full + ".partial";
        try
        {
            using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                IsoWriter.Write(plan, output, OpenSource, new IsoWriteOptions { SparseOutput = true }, cancellationToken);
                output.Flush(flushToDisk: true);
            }

            // Readers never see a half-written image under the final name.
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        return plan;
    }

    public static Stream OpenSource(SourceNode node) =>
        SourceFileStream.Open(node.SourcePath ?? throw new InvalidOperationException($"file '{node.Name}' has no source path"));
}
