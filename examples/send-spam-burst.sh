#!/usr/bin/env bash
# Posts one signed Meta-style webhook carrying N failed statuses with error 131048 (spam rate limit)
# for one business number, timestamped now, to a running waba-alerts.
#   usage: examples/send-spam-burst.sh [COUNT] [URL]
# Uses WHATSAPP_APP_SECRET (default change-me, the example config's default) to sign the body.
set -euo pipefail
count=${1:-6}
url=${2:-http://127.0.0.1:8080/webhooks/whatsapp}
secret=${WHATSAPP_APP_SECRET:-change-me}
now=$(date +%s)
run=$RANDOM$RANDOM

statuses=""
for i in $(seq 1 "$count"); do
  [ -n "$statuses" ] && statuses+=","
  statuses+=$(cat <<JSON
{"id":"wamid.DEMO${run}x${i}","status":"failed","timestamp":"$((now - count + i))","recipient_id":"15551234$(printf '%03d' "$i")",
 "errors":[{"code":131048,"title":"Spam rate limit hit","message":"Spam rate limit hit",
 "error_data":{"details":"Message failed to send because there are restrictions on how many messages can be sent from this phone number."}}]}
JSON
)
done
body=$(cat <<JSON
{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages","value":{
 "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"106540352242922"},
 "statuses":[${statuses}]}}]}]}
JSON
)
sig=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.*= //')
printf '%s' "$body" | curl -sS -X POST "$url" \
  -H "Content-Type: application/json" \
  -H "X-Hub-Signature-256: sha256=${sig}" \
  --data-binary @-
echo
