#!/usr/bin/env bash
# Concurrent creates of one name end with one job: two hosts of one play create the same job at once
# (the emulator reads both lookups as they arrive and holds them until both have arrived, so both find nothing and
# both create).
set -euo pipefail
# shellcheck source=../setup_emulator/files/emulator.sh
. ../setup_emulator/files/emulator.sh
start_emulator --transition-seconds 0.3

for round in 1 2 3; do
    emulator_admin POST reset '{}' > /dev/null
    # round 1: both lookups held until both arrived (no limit: the racer task's timeout bounds the test);
    # round 2: the same, and the first create's answer is lost (it was carried out);
    # round 3: the same, and the first create is answered 502 and lands only when the play lands it, after both tasks
    barrier='{"kind": "list", "action": "barrier", "count": 2, "delay": null}'
    faults="[$barrier]"
    if [ "$round" = 2 ]; then
        faults="[$barrier, {\"kind\": \"create\", \"action\": \"status\", \"status\": 502, \"apply\": true}]"
    elif [ "$round" = 3 ]; then
        faults="[$barrier, {\"kind\": \"create\", \"action\": \"status\", \"status\": 502, \"apply_after\": 500}]"
    fi
    emulator_admin POST faults "{\"faults\": $faults}" > /dev/null
    ansible-playbook -i inventory.ini race.yml -e emulator_url="$EMULATOR_URL" -e race_name="tb-race-$round" \
        -e race_round="$round" "${INTEGRATION_VARS[@]}" "$@"
done
