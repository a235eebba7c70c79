#!/bin/busybox sh
# The test shop's answer to "/": the name of the pod that served it, so traffic tests see which pod did.
printf 'Content-Type: text/plain\r\n\r\n%s\n' "$HOSTNAME"
