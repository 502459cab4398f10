package io.steward.store;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored schedule: what it runs and when, and where its firing stands.
 *
 * @param name        the schedule's name ({@link ScheduleStore#checkName})
 * @param cron        the cron expression as given
 * @param timeZone    the zone its slots are computed in, such as {@code Europe/Berlin}
 * @param script      the stored script it invokes (the latest version at each slot)
 * @param on          a node selector, so that each slot fans out; {@code null} to run on the primary
 * @param args        the script's args
 * @param grace       a slot found later than this is missed instead of run
 * @param paused      a paused schedule neither fires nor counts misses
 * @param nextSlot    the earliest slot not yet claimed; {@code null} when the expression fires no more
 * @param lastSlot    the latest slot claimed to run, or {@code null}
 * @param lastRun     the run id claimed with {@code lastSlot}
 * @param lastOutcome {@code CLAIMED} (the run is being started), {@code STARTED} or {@code FAILED}; {@code null}
 *                    before the first slot
 * @param lastError   why the last slot's run could not start, or {@code null}
 * @param fired       how many runs it started
 * @param missed      how many slots did not run (the primary was down or late, or the run could not start)
 * @param lastMissed  the latest missed slot, or {@code null}
 */
public record ScheduleRecord(String name, String cron, String timeZone, String script, String on,
                             Map<String, Object> args, Duration grace, boolean paused, Instant nextSlot,
                             Instant lastSlot, String lastRun, String lastOutcome, String lastError, long fired,
                             long missed, Instant lastMissed, Instant createdAt, String createdBy) {

    public ScheduleRecord {
        args = args == null ? Map.of() : args;
    }

    /** The API's form: times as ISO-8601 text, the grace in milliseconds. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("cron", cron);
        map.put("timeZone", timeZone);
        map.put("script", script);
        map.put("on", on);
        map.put("args", args);
        map.put("graceMs", grace.toMillis());
        map.put("paused", paused);
        map.put("nextSlot", text(nextSlot));
        map.put("lastSlot", text(lastSlot));
        map.put("lastRun", lastRun);
        map.put("lastOutcome", lastOutcome);
        map.put("lastError", lastError);
        map.put("fired", fired);
        map.put("missed", missed);
        map.put("lastMissed", text(lastMissed));
        map.put("createdAt", text(createdAt));
        map.put("createdBy", createdBy);
        return map;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
