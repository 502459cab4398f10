package io.steward.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A cron expression in a time zone, and the slots it names. Two forms are accepted, told apart by their number of
 * fields:
 *
 * <ul>
 *   <li>5 fields, standard Unix cron: {@code minute hour day-of-month month day-of-week} (day-of-week 0–7, 0 and 7
 *       both Sunday, or {@code MON}…); slots on whole minutes.</li>
 *   <li>6 or 7 fields, the Quartz form: {@code second minute hour day-of-month month day-of-week [year]}, with
 *       {@code ?} in one of day-of-month and day-of-week (day-of-week 1–7 is Sunday–Saturday here, as in Quartz);
 *       slots on whole seconds.</li>
 * </ul>
 *
 * Anything else, such as nicknames ({@code @daily}), is refused. Slots are computed in the schedule's zone, so
 * {@code 0 2 * * *} in {@code Europe/Berlin} follows daylight saving time (a 02:30 that does not exist on the day
 * the clocks go forward is skipped, as cron-utils does).
 */
public final class CronSlots {
    static final String FORMS = "use 5 fields (minute hour day-of-month month day-of-week, e.g. '0 2 * * *'), or 6-7 "
            + "Quartz fields with seconds first and '?' in day-of-month or day-of-week (e.g. '*/10 * * * * ?')";
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser QUARTZ = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));
    private static final int MAX_LENGTH = 255;

    /** The last {@link #after} asked and its answer: schedules sharing an expression ask the same question. */
    private record Memo(Instant from, Optional<Instant> next) {
    }

    private final String expression;
    private final ZoneId zone;
    private final ExecutionTime times;
    private volatile Memo memo = new Memo(Instant.MIN, Optional.empty());

    private CronSlots(String expression, ZoneId zone, ExecutionTime times) {
        this.expression = expression;
        this.zone = zone;
        this.times = times;
    }

    /**
     * Parses an expression for a zone ({@code null} or blank for UTC).
     *
     * @throws IllegalArgumentException naming what is wrong: the form, a field, or the zone
     */
    public static CronSlots parse(String expression, String zone) {
        ZoneId zoneId = zone(zone);
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("a cron expression is required: " + FORMS);
        }
        String text = expression.strip();
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("the cron expression is longer than " + MAX_LENGTH + " characters");
        }
        int fields = text.split("\\s+").length;
        CronParser parser = switch (fields) {
            case 5 -> UNIX;
            case 6, 7 -> QUARTZ;
            default -> throw new IllegalArgumentException("the cron expression '" + text + "' has " + fields
                    + " field" + (fields == 1 ? "" : "s") + ": " + FORMS);
        };
        Cron cron;
        try {
            cron = parser.parse(text).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the cron expression '" + text + "' is not valid ("
                    + e.getMessage() + "): " + FORMS);
        }
        return new CronSlots(text, zoneId, ExecutionTime.forCron(cron));
    }

    /** The zone of its name; {@code null} or blank is UTC. */
    static ZoneId zone(String zone) {
        if (zone == null || zone.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(zone.strip());
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + zone + "': use a region such as Europe/Berlin "
                    + "or America/New_York, UTC, or an offset such as +02:00");
        }
    }

    public String expression() {
        return expression;
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first slot strictly after {@code instant}'s whole second; empty when the expression fires no more. */
    public Optional<Instant> after(Instant instant) {
        // From a whole second: cron-utils carries the fraction of the start into the result otherwise.
        Instant second = instant.truncatedTo(ChronoUnit.SECONDS);
        Memo last = memo;
        if (last.from.equals(second)) {
            return last.next;
        }
        // cron-utils takes 50-250 µs for one answer: thousands of schedules of one expression share theirs.
        Optional<Instant> next = times.nextExecution(ZonedDateTime.ofInstant(second, zone))
                .map(t -> t.toInstant().truncatedTo(ChronoUnit.SECONDS));
        memo = new Memo(second, next);
        return next;
    }

    /** The latest slot at or before {@code instant}; empty when there is none. */
    public Optional<Instant> atOrBefore(Instant instant) {
        ZonedDateTime from = ZonedDateTime.ofInstant(instant.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1), zone);
        return times.lastExecution(from).map(t -> t.toInstant().truncatedTo(ChronoUnit.SECONDS));
    }

    /**
     * The first slot after {@code now}, for a new or resumed schedule.
     *
     * @throws IllegalArgumentException when there is none: an expression that never fires, such as 30 February
     */
    public Instant firstAfter(Instant now) {
        return after(now).orElseThrow(() -> new IllegalArgumentException("the cron expression '" + expression
                + "' never fires (after " + now.truncatedTo(ChronoUnit.SECONDS) + " in " + zone + "): it names a "
                + "day that does not exist, such as 30 February, or only past years"));
    }
}
