using UpsAgent.Backup.Manifest;
using UpsAgent.Backup.Verify;

namespace UpsAgent.Backup.Media;

/// <summary>What a rotation run decided and, unless it refused or was a dry run, what it wrote and how the read-back went.</summary>
public sealed record RotationOutcome(RotationDecision Decision, WrittenSession? Written, VerifyReport? Verify, CatalogSession? Catalogued);
