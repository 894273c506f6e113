# Chaos: a full disk. The database lives on a tiny tmpfs (mounted here; the
# tests run as root) that a filler file fills while simulated candidates
# (tests/cli/chaos_candidates.py --strict) save answers over HTTP. Saves must
# then be refused with 503 "unavailable" and a message (never 200 for a save
# not stored, never another status, never a dropped connection), and once
# space returns -- the filler removed, or the tmpfs remounted larger -- the
# same server process saves again by itself. Every 200 must be in the
# database afterwards, which must be intact, and the server must stop
# cleanly on SIGTERM. The tmpfs is unmounted on every way out.
. "$ROOT/tests/cli/http_fixture.sh"

CHAOS=$ROOT/tests/cli/chaos_candidates.py
CANDIDATES=20
MNT=

# stat_of NAME: a counter of the candidates' stats.json (0 before it exists)
stat_of() {
    python3 -c 'import json,sys
try: print(json.load(open("out/stats.json"))[sys.argv[1]])
except (OSError, ValueError): print(0)' "$1"
}

# wait_for NAME ATLEAST WHAT: waits (at most 30 s) until counter NAME reaches
# ATLEAST; fails the test saying WHAT did not happen otherwise
wait_for() {
    local until=$((SECONDS + 30))
    while [ $SECONDS -lt $until ]; do
        [ "$(stat_of "$1")" -ge "$2" ] && return 0
        our_child "$DRIVER_PID" || break
        sleep 0.1
    done
    fail "$3 ($1 = $(stat_of "$1"), expected at least $2): $(cat driver.err)"
    return 1
}

fill_disk() { # writes the filler until the tmpfs is full
    dd if=/dev/zero of="$MNT/filler" bs=4k status=none 2>/dev/null
    [ "$(df --output=avail "$MNT" | tail -1 | tr -d ' ')" = 0 ] ||
        fail "the tmpfs is not full: $(df "$MNT")"
}

server_alive() {
    our_child "$SERVER_PID" || fail "the server died $1: $(cat serve.err)"
}

cleanup() {
    [ -n "${DRIVER_PID:-}" ] && our_child "$DRIVER_PID" && kill -KILL "$DRIVER_PID"
    [ -n "${SERVER_PID:-}" ] && our_child "$SERVER_PID" && kill -KILL "$SERVER_PID"
    wait 2>/dev/null
    DRIVER_PID= SERVER_PID=
    if [ -n "$MNT" ] && mountpoint -q "$MNT"; then
        local i
        for i in 1 2 3 4 5; do umount "$MNT" 2>/dev/null && break; sleep 0.2; done
        mountpoint -q "$MNT" && umount -l "$MNT"
    fi
    MNT=
}

t_full_disk_refuses_saves_with_503_and_recovers_without_restart() {
    local t0=$SECONDS
    mkdir disk
    # 16 MB: SQLite checkpoints the WAL once it holds 1000 pages (4 MB); on a
    # disk smaller than the database plus that, the WAL itself fills the disk
    # again before it is ever checkpointed, and no space ever comes back
    if ! mount -t tmpfs -o size=16m,mode=0755 kaoshi-chaos "$PWD/disk" 2>mount.err; then
        fail "SKIPPED: cannot mount a tmpfs for the full disk ($(cat mount.err)); this" \
             "suite needs root (mount -t tmpfs); counted as failed"
        return
    fi
    MNT=$PWD/disk
    trap cleanup EXIT
    trap 'cleanup; exit 1' INT TERM HUP
    export KAOSHI_DB=$MNT/exam.db
    open_now s1 DEMO-CS
    { echo number,name; for i in $(seq -w 1 $CANDIDATES); do echo "K$i,考生$i"; done; } >many.csv
    "$KAOSHI" enroll s1 many.csv >codes.csv 2>.err || { fail "enroll: $(cat .err)"; return; }

    "$KAOSHI" serve --port 0 >serve.out 2>serve.err &
    SERVER_PID=$!
    local until=$((SECONDS + 20))
    while [ $SECONDS -lt $until ]; do
        URL=$(sed -n 's|^serving \(http://[^ ]*\)/$|\1|p' serve.out)
        [ -n "$URL" ] && break
        our_child "$SERVER_PID" || break
        sleep 0.05
    done
    [ -n "$URL" ] || { fail "the server did not start: $(cat serve.err)"; return; }
    echo "$URL" >url
    mkdir out
    python3 "$CHAOS" run --url-file url --codes codes.csv --out out --stop stop --strict \
        --size 2000 --think 0.05 --ceiling 120 2>driver.err &
    DRIVER_PID=$!
    wait_for acks $((2 * CANDIDATES)) "the candidates did not start saving" || return

    # 1. full: saves are refused; space back (the filler removed): saves again
    fill_disk
    wait_for saves_503 $((2 * CANDIDATES)) "no save was refused on a full disk" || return
    sleep 1 # the writer's sweep runs on the full disk too
    wait_for saves_503 $(($(stat_of saves_503) + CANDIDATES)) "saves stopped on a full disk" ||
        return
    server_alive "on a full disk"
    local refused1 acks1
    refused1=$(stat_of saves_503)
    rm "$MNT/filler"
    acks1=$(stat_of acks)
    wait_for acks $((acks1 + 2 * CANDIDATES)) "no save went through once the filler was removed" ||
        return

    # 2. full again; space back by growing the tmpfs
    fill_disk
    wait_for saves_503 $((refused1 + 2 * CANDIDATES)) "no save was refused on a full disk again" ||
        return
    server_alive "on a full disk again"
    mount -o remount,size=32m "$MNT" || fail "cannot grow the tmpfs"
    local acks2
    acks2=$(stat_of acks)
    wait_for acks $((acks2 + 2 * CANDIDATES)) "no save went through once the tmpfs grew" || return
    server_alive "after the full disk"

    touch stop
    wait "$DRIVER_PID"
    local driver_rc=$?
    DRIVER_PID=
    [ "$driver_rc" = 0 ] || fail "the candidates did not all go through: $(cat driver.err)"
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID"
    local rc=$?
    SERVER_PID=
    [ "$rc" = 0 ] || fail "the server exited $rc after SIGTERM: $(cat serve.err)"
    grep -q 'Sanitizer\|runtime error' serve.err && fail "sanitizer report: $(cat serve.err)"
    # the operator was told when saving stopped and when it resumed, once
    # each time (at least once per round: space can come and go within one)
    local stopped resumed
    stopped=$(grep -c '^kaoshi serve: answers cannot be saved (every save is refused with 503 until they can): ' serve.err)
    resumed=$(grep -c '^kaoshi serve: answers are saved again$' serve.err)
    [ "$stopped" -ge 2 ] && [ "$resumed" = "$stopped" ] ||
        fail "the log does not say when saving stopped and resumed: $(cat serve.err)"
    python3 "$CHAOS" verify --db "$KAOSHI_DB" --out out 2>verify.err || fail "$(cat verify.err)"
    echo "  (full disk: $(stat_of saves_503) saves refused with 503, $(stat_of acks)" \
         "acknowledged, all in the database; $(head -1 verify.err); $((SECONDS - t0)) s)" >&2
    cat driver.err >&2
    cleanup
    trap - EXIT INT TERM HUP
}
