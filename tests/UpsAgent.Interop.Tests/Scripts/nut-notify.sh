#!/bin/sh
# A NOTIFYCMD as NUT users write them (upsmon.conf(5): "NOTIFYCMD /usr/local/bin/notifyme"): it relies only on
# what upsmon hands it, the message as $1 and NOTIFYTYPE and UPSNAME in the environment, and appends one line
# per event to notify.log beside itself: TYPE|UPSNAME|message.
printf '%s|%s|%s\n' "$NOTIFYTYPE" "$UPSNAME" "$1" >> "$(dirname "$0")/notify.log"
