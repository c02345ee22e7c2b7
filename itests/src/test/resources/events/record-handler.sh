#!/bin/sh
# Test handler (EventsIT): appends the alarm's sequence number and argument vector, one line per
# alarm, to data/handled.txt of the distribution it is installed in (etc/events/app/hung/record).
echo "$VIGIL_ALARM_SEQUENCE $*" >> "$(dirname "$0")/../../../../data/handled.txt"
