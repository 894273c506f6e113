# An acknowledged answer is durable: kill -9 the process at random moments
# while it saves answers; every save it acknowledged must be in the database,
# and the database must stay intact.
. "$ROOT/tests/cli/sitting_fixture.sh"

t_kill_9_during_answering_loses_no_acknowledged_answer() {
    open_demo
    start_c001
    question_with text
    # timeout kills its own child, which cannot have been reaped: no stray
    # signal can reach another suite's process through a reused PID
    for i in $(seq 1 40); do
        KAOSHI_NOW=2027-07-18T09:10:00+08:00 timeout -s KILL "0.0$((RANDOM % 9 + 1))" \
            "$KAOSHI" attempt answer "$ATTEMPT" "$Q" "{\"text\":\"$i\"}" >ack.$i 2>/dev/null
    done
    acked=0
    for i in $(seq 1 40); do
        grep -q "^saved question $Q" ack.$i || continue
        acked=$((acked + 1))
        n=$(sqlite3 exam.db "SELECT count(*) FROM answers WHERE response = '{\"text\":\"$i\"}'")
        [ "$n" = 1 ] || fail "save $i was acknowledged but is not in the database"
    done
    [ "$(sqlite3 exam.db 'PRAGMA integrity_check')" = ok ] || fail "database damaged"
    # the attempt carries on after the kills
    KAOSHI_NOW=2027-07-18T09:11:00+08:00 run attempt answer "$ATTEMPT" "$Q" '{"text":"after"}'
    expect_rc 0
    echo "  ($acked of 40 saves acknowledged before kill -9)" >&2
}
