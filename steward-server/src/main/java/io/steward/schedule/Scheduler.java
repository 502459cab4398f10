package io.steward.schedule;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunIds;
import io.steward.engine.JsonValues;
import io.steward.engine.ScriptNames;
import io.steward.nodes.PrimaryFleet;
import io.steward.nodes.Selector;
import io.steward.store.AuditLog;
import io.steward.store.ScheduleClaim;
import io.steward.store.ScheduleOutcome;
import io.steward.store.ScheduleRecord;
import io.steward.store.ScheduleStore;
import io.steward.store.RunSecretStore;
import io.steward.store.Store;
import io.steward.secrets.SecretArgs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fires cron schedules. One thread sleeps until the earliest slot of all armed schedules (a priority queue kept in
 * memory, changed by {@link #add}, {@link #pause}, {@link #resume} and {@link #remove}, which wake it), so an idle
 * primary asks its database nothing. When slots are due it takes every schedule due by then as one batch:
 *
 * <ol>
 *   <li>{@link SlotStep} decides per schedule which slot runs and which are missed;</li>
 *   <li>{@link ScheduleStore#claim} commits those decisions, with the run ids to come, by compare-and-set, before
 *       anything is started: a slot is claimed once even if two primaries shared a database or this one restarts;</li>
 *   <li>each claimed slot's script is invoked through the coordinator like {@code POST /api/v1/runs} (with
 *       {@code on}: a fan-out), invoker {@code schedule:NAME}, and args carrying {@code _schedule: {name, slot}};</li>
 *   <li>{@link ScheduleStore#record} notes which runs started; one that could not start (its script deleted, no node
 *       matching its selector, the launcher refusing) is a missed slot with its reason.</li>
 * </ol>
 *
 * Missed slots are written to the audit log as {@code schedule-missed}. A crash between steps 2 and 4 loses the
 * claimed slot rather than running it twice; the next start reports it as missed ({@link ScheduleStore#recoverClaims}).
 * The sleep is cut into pieces of at most {@link #MAX_SLEEP} so that a wall clock set forward is noticed.
 *
 * <p>Several primaries on one database: each has a scheduler, and only the one whose primary holds the schedule lease
 * fires ({@link #startIdle}, {@link #lead}, {@link #standDown}). The claims alone would keep a slot from running
 * twice; the lease keeps the other primaries from racing for every slot. Schedules added or changed through another
 * primary reach the leader because it re-reads the stored schedules every few seconds and on gaining the lease.
 */
public final class Scheduler implements AutoCloseable {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(60);
    static final Duration MIN_GRACE = Duration.ofSeconds(1);
    static final Duration MAX_GRACE = Duration.ofDays(1);
    /** The key of the args that tells a scheduled run its schedule and slot. */
    public static final String ARG = "_schedule";
    static final Duration MAX_SLEEP = Duration.ofSeconds(30);
    private static final Duration RETRY = Duration.ofSeconds(5);
    /** Schedules claimed per transaction when many are due at once. */
    private static final int CHUNK = 500;
    private static final int FIRST_CHUNK = 32;
    private static final System.Logger LOG = System.getLogger(Scheduler.class.getName());

    /** A schedule the thread will fire: its definition and its next slot. */
    private record Armed(String name, CronSlots slots, Instant next, Optional<Instant> following, Duration grace,
                         String script, String on, Map<String, Object> args, long generation) {
    }

    /** A place in the queue; stale once its schedule was re-armed, paused or removed (another generation). */
    private record Due(Instant at, String name, long generation) {
    }

    private final ScheduleStore schedules;
    private final Store store;
    private final AuditLog audit;
    private final Coordinator coordinator;
    private final PrimaryFleet fleet;
    private final Invoker invoker;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Map<String, Armed> armed = new HashMap<>();
    private final PriorityQueue<Due> queue = new PriorityQueue<>((a, b) -> a.at.compareTo(b.at));
    private final AtomicLong generations = new AtomicLong();
    /** Parsed expressions by zone and text, shared by the schedules that use them (and their memo of the next slot). */
    private final Map<String, CronSlots> parsed = new java.util.concurrent.ConcurrentHashMap<>();
    private final Thread thread;
    /** Start the runs of claimed chunks (virtual threads: a chunk's invokes, one after another). */
    private final ExecutorService starters = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("steward-schedule-start-", 0).factory());
    private volatile boolean closed;
    /** Whether this scheduler fires (false while another primary holds the schedule lease). */
    private volatile boolean leading = true;
    /** Asked before each claim: false as soon as the lease behind {@link #leading} is in doubt. */
    private volatile java.util.function.BooleanSupplier stillLeading = () -> true;
    /** Set by {@link #lead}: the loop settles old claims and re-arms every stored schedule before it fires. */
    private final java.util.concurrent.atomic.AtomicBoolean reloadWanted = new java.util.concurrent.atomic.AtomicBoolean();
    /** How often a leader re-reads the stored schedules for changes made through other primaries; null: never. */
    private volatile Duration rereadEvery;
    private long nextReread;

    /** How a claimed slot's run is started: through the invoke policies on a server (limits, retries). */
    @FunctionalInterface
    public interface Invoker {
        void invoke(InvokeRequest request) throws InterruptedException;
    }

    public Scheduler(Store store, Coordinator coordinator, PrimaryFleet fleet, Clock clock) {
        this(store, coordinator, fleet, clock, coordinator::invoke);
    }

    /**
     * @param invoker starts a slot's run: the server passes its policies, so that a scheduled run keeps its script's
     *                concurrency limit and retries as an invoke over the API does
     */
    public Scheduler(Store store, Coordinator coordinator, PrimaryFleet fleet, Clock clock, Invoker invoker) {
        this.invoker = invoker;
        this.store = store;
        this.schedules = store.schedules();
        this.audit = store.audit();
        this.coordinator = coordinator;
        this.fleet = fleet;
        this.clock = clock;
        this.thread = Thread.ofPlatform().name("steward-scheduler").daemon().unstarted(this::loop);
    }

    /** Settles what a previous process left half done, arms every active schedule and starts the thread. */
    public Scheduler start() {
        for (ScheduleOutcome lost : schedules.recoverClaims()) {
            audit.record(actor(lost.name()), "schedule-missed", lost.name(), details(1, lost.slot(), lost.error()));
        }
        lock.lock();
        try {
            for (ScheduleRecord s : schedules.list()) {
                arm(s);
            }
        } finally {
            lock.unlock();
        }
        thread.start();
        return this;
    }

    /**
     * Starts the thread without firing anything until {@link #lead}: for a primary that shares its database with
     * others and fires only while it holds the schedule lease.
     *
     * @param rereadEvery while leading, how often to re-read the stored schedules for changes made elsewhere
     */
    public Scheduler startIdle(Duration rereadEvery) {
        this.rereadEvery = rereadEvery;
        this.leading = false;
        thread.start(); // arms nothing yet: lead() re-arms every stored schedule
        return this;
    }

    /**
     * This primary took the schedule lease: settle the claims the previous leader left half done, re-arm every stored
     * schedule and fire. {@code stillLeading} is asked before each claim, so that a lease in doubt stops the firing at
     * once even before {@link #standDown} is called.
     */
    public void lead(java.util.function.BooleanSupplier stillLeading) {
        this.stillLeading = stillLeading;
        reloadWanted.set(true);
        leading = true;
        wake();
    }

    /** This primary lost the schedule lease: fire nothing more (a batch being claimed stops at its next chunk). */
    public void standDown() {
        leading = false;
        wake();
    }

    /** Whether this scheduler fires now. */
    public boolean leading() {
        return leading && stillLeading.getAsBoolean();
    }

    private void wake() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    // ---- what the API does

    /**
     * Checks and stores a new schedule, armed from the first slot after now.
     *
     * @throws IllegalArgumentException for a bad name, expression, zone, script name, selector, args or grace
     * @throws io.steward.engine.ScriptNotFoundException for a script the store does not have
     * @throws io.steward.store.StoreConflictException    for a name that is taken
     */
    public ScheduleRecord add(ScheduleSpec spec, String actor) {
        String name = ScheduleStore.checkName(spec.name());
        CronSlots checked = CronSlots.parse(spec.cron(), spec.timeZone());
        CronSlots slots = parsed(checked.expression(), checked.zone().getId());
        ScriptNames.check(spec.script(), coordinator.engine().extensions());
        store.scripts().latest(spec.script());
        String on = spec.on() == null || spec.on().isBlank() ? null : Selector.parse(spec.on().strip()).text();
        Map<String, Object> args = JsonValues.copyMap("args", spec.args() == null ? Map.of() : spec.args());
        if (args.containsKey(ARG)) {
            throw new IllegalArgumentException("the arg '" + ARG + "' is reserved: a scheduled run finds its schedule "
                    + "and slot there; rename that arg");
        }
        Map<String, Object> secretArgs = JsonValues.copyMap("secretArgs", spec.secretArgs());
        for (String key : secretArgs.keySet()) {
            if (args.containsKey(key) || key.equals(ARG)) {
                throw new IllegalArgumentException("the arg '" + key + "' is given both as an arg and as a secret arg; "
                        + "give it once");
            }
        }
        if (!secretArgs.isEmpty()) {
            store.secrets().checkCanSeal();
        }
        Duration grace = spec.grace() == null ? DEFAULT_GRACE : spec.grace();
        if (grace.compareTo(MIN_GRACE) < 0 || grace.compareTo(MAX_GRACE) > 0) {
            throw new IllegalArgumentException("the grace must be between 1s and 24h, not " + grace.toMillis() + " ms");
        }
        Instant now = clock.instant();
        Instant first = slots.firstAfter(now);
        ScheduleRecord created = schedules.create(new ScheduleRecord(name, slots.expression(), slots.zone().getId(),
                spec.script(), on, args, grace, false, first, null, null, null, null, 0, 0, null, now, actor));
        try {
            store.secrets().save(RunSecretStore.scheduleKey(name), secretArgs);
        } catch (RuntimeException e) {
            schedules.delete(name); // not armed yet: as if it had never been added
            throw e;
        }
        audit.record(actor, "schedule-add", name, Map.of("cron", created.cron(), "script", created.script()));
        lock.lock();
        try {
            arm(created);
        } finally {
            lock.unlock();
        }
        return created;
    }

    public List<ScheduleRecord> list() {
        return schedules.list();
    }

    public Optional<ScheduleRecord> get(String name) {
        return schedules.get(name);
    }

    /** Pauses a schedule: it neither fires nor counts misses until resumed. Empty when there is none of that name. */
    public Optional<ScheduleRecord> pause(String name, String actor) {
        lock.lock();
        try {
            Optional<ScheduleRecord> paused = schedules.pause(name);
            paused.ifPresent(s -> {
                disarm(name);
                audit.record(actor, "schedule-pause", name, Map.of());
            });
            return paused;
        } finally {
            lock.unlock();
        }
    }

    /** Resumes a paused schedule from the first slot after now; the slots it slept through are not missed. */
    public Optional<ScheduleRecord> resume(String name, String actor) {
        lock.lock();
        try {
            Optional<ScheduleRecord> found = schedules.get(name);
            if (found.isEmpty()) {
                return found;
            }
            CronSlots slots = CronSlots.parse(found.get().cron(), found.get().timeZone());
            Instant next = slots.after(clock.instant()).orElse(null);
            Optional<ScheduleRecord> resumed = schedules.resume(name, next);
            resumed.ifPresent(s -> {
                arm(s);
                audit.record(actor, "schedule-resume", name, Map.of());
            });
            return resumed;
        } finally {
            lock.unlock();
        }
    }

    /** Removes a schedule; its past runs stay. {@code false} when there was none of that name. */
    public boolean remove(String name, String actor) {
        lock.lock();
        try {
            boolean removed = schedules.delete(name);
            if (removed) {
                store.secrets().forget(RunSecretStore.scheduleKey(name));
                disarm(name);
                audit.record(actor, "schedule-remove", name, Map.of());
            }
            return removed;
        } finally {
            lock.unlock();
        }
    }

    /** How many schedules wait for a slot (for tests and the benchmark). */
    public int armed() {
        lock.lock();
        try {
            return armed.size();
        } finally {
            lock.unlock();
        }
    }

    // ---- the thread

    /** Under the lock: (re-)arms a stored schedule, or disarms it when it is paused or fires no more. */
    private void arm(ScheduleRecord s) {
        if (s.paused() || s.nextSlot() == null) {
            disarm(s.name());
            return;
        }
        CronSlots slots;
        try {
            slots = parsed(s.cron(), s.timeZone());
        } catch (IllegalArgumentException e) {
            // Stored by a version with other rules (or by hand): say so, and leave it be.
            LOG.log(System.Logger.Level.WARNING, "schedule {0} cannot be armed: {1}", s.name(), e.getMessage());
            disarm(s.name());
            return;
        }
        long generation = generations.incrementAndGet();
        armed.put(s.name(), new Armed(s.name(), slots, s.nextSlot(), slots.after(s.nextSlot()), s.grace(), s.script(),
                s.on(), s.args(), generation));
        queue.add(new Due(s.nextSlot(), s.name(), generation));
        changed.signalAll();
    }

    private CronSlots parsed(String cron, String zone) {
        if (parsed.size() > 10_000) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(zone + " " + cron, key -> CronSlots.parse(cron, zone));
    }

    private void disarm(String name) {
        // Its queue entries go stale; they are dropped when they reach the head.
        if (armed.remove(name) != null) {
            changed.signalAll();
        }
    }

    private void loop() {
        while (!closed) {
            List<Armed> due;
            try {
                if (!leading) {
                    idle();
                    continue;
                }
                if (reloadWanted.getAndSet(false)) {
                    reload(true);
                } else if (rereadEvery != null && System.nanoTime() - nextReread >= 0) {
                    reload(false);
                }
                due = awaitDue();
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "scheduler: could not read the stored schedules: {0}; trying again",
                        e.getMessage());
                reloadWanted.set(true);
                pause(RETRY);
                continue;
            }
            if (due.isEmpty()) {
                continue;
            }
            if (!stillLeading.getAsBoolean()) {
                putBack(due); // the lease is in doubt: whoever holds it next fires these slots
                pause(Duration.ofMillis(200));
                continue;
            }
            try {
                fire(due);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "scheduler: firing " + due.size() + " schedules failed; "
                        + "trying again in " + RETRY.toSeconds() + " s", e);
                retryLater(due);
            }
        }
    }

    private void idle() throws InterruptedException {
        lock.lock();
        try {
            if (!leading && !closed) {
                changed.await(1, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    private void pause(Duration d) {
        lock.lock();
        try {
            if (!closed) {
                changed.awaitNanos(d.toNanos());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Brings the armed schedules in line with the store. On gaining the lease ({@code all}): settles the claims the
     * previous leader left and re-arms every schedule. Otherwise only what changed through another primary: new,
     * changed, paused or removed rows. A schedule changed through this primary's own API while the rows were read
     * (its generation is newer than the read) keeps the newer state.
     */
    private void reload(boolean all) {
        if (rereadEvery != null) {
            nextReread = System.nanoTime() + rereadEvery.toNanos();
        }
        if (all) {
            for (ScheduleOutcome lost : schedules.recoverClaims()) {
                audit.record(actor(lost.name()), "schedule-missed", lost.name(), details(1, lost.slot(), lost.error()));
            }
        }
        long before = generations.get();
        List<ScheduleRecord> stored = schedules.list();
        lock.lock();
        try {
            java.util.Set<String> names = new java.util.HashSet<>();
            for (ScheduleRecord s : stored) {
                names.add(s.name());
                Armed current = armed.get(s.name());
                if (current != null && current.generation > before) {
                    continue;
                }
                if (all || (current == null ? !s.paused() && s.nextSlot() != null : !same(current, s))) {
                    arm(s); // which disarms a paused one
                }
            }
            for (Armed a : List.copyOf(armed.values())) {
                if (!names.contains(a.name) && a.generation <= before) {
                    disarm(a.name);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean same(Armed a, ScheduleRecord s) {
        return !s.paused() && a.next.equals(s.nextSlot()) && a.slots.expression().equals(s.cron())
                && a.slots.zone().getId().equals(s.timeZone()) && a.grace.equals(s.grace()) && a.script.equals(s.script())
                && java.util.Objects.equals(a.on, s.on()) && a.args.equals(s.args());
    }

    /** Queues slots taken off the queue but not claimed again, at their own times, unless re-armed meanwhile. */
    private void putBack(List<Armed> due) {
        lock.lock();
        try {
            for (Armed a : due) {
                Armed current = armed.get(a.name);
                if (current != null && current.generation == a.generation) {
                    queue.add(new Due(a.next, a.name, a.generation));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sleeps until the head of the queue is due, then takes every schedule due by now; empty after a wake-up. */
    private List<Armed> awaitDue() throws InterruptedException {
        lock.lock();
        try {
            if (!leading || closed) {
                return List.of();
            }
            // A leader among several primaries wakes for its next re-read too.
            long cap = rereadEvery == null ? MAX_SLEEP.toNanos() : Math.max(1, nextReread - System.nanoTime());
            Due head = liveHead();
            if (head == null) {
                if (rereadEvery == null) {
                    changed.await();
                } else {
                    changed.awaitNanos(cap);
                }
                return List.of();
            }
            Instant now = clock.instant();
            long wait = Duration.between(now, head.at).toNanos();
            if (wait > 0) {
                changed.awaitNanos(Math.min(wait, Math.min(cap, MAX_SLEEP.toNanos())));
                return List.of();
            }
            List<Armed> due = new ArrayList<>();
            for (Due d = liveHead(); d != null && !d.at.isAfter(now); d = liveHead()) {
                queue.poll();
                due.add(armed.get(d.name));
            }
            return due;
        } finally {
            lock.unlock();
        }
    }

    private Due liveHead() {
        for (Due d = queue.peek(); d != null; d = queue.peek()) {
            Armed a = armed.get(d.name);
            if (a != null && a.generation == d.generation) {
                return d;
            }
            queue.poll();
        }
        return null;
    }

    private void fire(List<Armed> due) throws InterruptedException {
        Instant now = clock.instant();
        Map<String, Armed> byName = new HashMap<>();
        due.forEach(a -> byName.put(a.name, a));
        List<ScheduleClaim> claims = new ArrayList<>(due.size());
        List<ScheduleClaim> won = new ArrayList<>(due.size());
        List<Future<List<ScheduleOutcome>>> starting = new ArrayList<>();
        try {
            // Claimed in chunks, each chunk's runs started by a starter while the next chunk is claimed: the first
            // runs need not wait for thousands of claims, and claiming and starting overlap.
            // The first chunks are small, so that the first runs start within milliseconds of their slot.
            int size = FIRST_CHUNK;
            for (int from = 0; from < due.size(); from += size, size = Math.min(CHUNK, size * 2)) {
                if (!stillLeading.getAsBoolean()) {
                    putBack(due.subList(from, due.size())); // lease in doubt: claim nothing more
                    break;
                }
                List<ScheduleClaim> chunk = new ArrayList<>(size);
                for (Armed a : due.subList(from, Math.min(due.size(), from + size))) {
                    chunk.add(SlotStep.step(a.name, a.slots, a.next, a.following, now, a.grace, RunIds::next));
                }
                claims.addAll(chunk);
                List<ScheduleClaim> claimed = schedules.claim(chunk);
                won.addAll(claimed);
                List<ScheduleClaim> toStart = new ArrayList<>();
                for (ScheduleClaim k : claimed) {
                    if (k.missed() > 0) {
                        audit.recordLater(actor(k.name()), "schedule-missed", k.name(), details(k.missed(), k.lastMissed(),
                                "the primary was not running, or not in time, at " + (k.missed() == 1 ? "that slot" : "those slots")));
                    }
                    if (k.slot() != null) {
                        toStart.add(k);
                    }
                }
                if (!toStart.isEmpty()) {
                    starting.add(starters.submit(() -> startAll(toStart, byName)));
                }
            }
        } finally {
            // Whatever was claimed and started is recorded, even when a later chunk failed to claim.
            List<ScheduleOutcome> outcomes = new ArrayList<>(won.size());
            for (Future<List<ScheduleOutcome>> f : starting) {
                try {
                    outcomes.addAll(f.get());
                } catch (ExecutionException e) {
                    LOG.log(System.Logger.Level.ERROR, "scheduler: starting scheduled runs failed", e.getCause());
                }
            }
            schedules.record(outcomes);
        }
        // Re-armed only now: working out each schedule's slot after next (for the next on-time firing) is cron-utils'
        // slow part, and the runs of this batch should not wait for it. A pause or rm meanwhile still wins.
        rearm(byName, claims, won);
    }

    private List<ScheduleOutcome> startAll(List<ScheduleClaim> claims, Map<String, Armed> byName)
            throws InterruptedException {
        List<ScheduleOutcome> outcomes = new ArrayList<>(claims.size());
        for (ScheduleClaim k : claims) {
            outcomes.add(start(byName.get(k.name()), k));
        }
        return outcomes;
    }

    /** Arms the schedules at their new next slot; one whose claim lost is re-read (someone else moved it). */
    private void rearm(Map<String, Armed> byName, List<ScheduleClaim> claims, List<ScheduleClaim> won) {
        java.util.Set<String> winners = new java.util.HashSet<>();
        won.forEach(k -> winners.add(k.name()));
        lock.lock();
        try {
            for (ScheduleClaim k : claims) {
                Armed a = byName.get(k.name());
                Armed current = armed.get(k.name());
                if (current == null || current.generation != a.generation) {
                    continue; // paused, removed or re-armed meanwhile: that change stands
                }
                if (winners.contains(k.name())) {
                    if (k.next() == null) {
                        disarm(k.name());
                    } else {
                        long generation = generations.incrementAndGet();
                        armed.put(k.name(), new Armed(a.name, a.slots, k.next(), a.slots.after(k.next()), a.grace,
                                a.script, a.on, a.args, generation));
                        queue.add(new Due(k.next(), k.name(), generation));
                    }
                } else {
                    schedules.get(k.name()).ifPresentOrElse(this::arm, () -> disarm(k.name()));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void retryLater(List<Armed> due) {
        if (closed) {
            return;
        }
        Instant at = clock.instant().plus(RETRY);
        lock.lock();
        try {
            for (Armed a : due) {
                Armed current = armed.get(a.name);
                if (current != null && current.generation == a.generation) {
                    queue.add(new Due(at, a.name, a.generation));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Invokes a claimed slot's run under the id the claim recorded. */
    private ScheduleOutcome start(Armed a, ScheduleClaim k) throws InterruptedException {
        Map<String, Object> args = new LinkedHashMap<>(a.args);
        args.put(ARG, Map.of("name", a.name, "slot", k.slot().toString()));
        InvokeRequest request = new InvokeRequest(a.script, 0, args, null, actor(a.name)).withId(k.runId());
        try {
            // Sealed again under the run's id, where its retries look for them.
            request = SecretArgs.attach(request, store.secrets().load(RunSecretStore.scheduleKey(a.name)), store.secrets());
            if (a.on != null) {
                // As POST /api/v1/runs with "on": checked now, so that no node matching is a missed slot, not a run.
                fleet.select(a.on, false);
                Map<String, Object> fanOut = new LinkedHashMap<>();
                fanOut.put("on", a.on);
                fanOut.put("parallel", 0L);
                fanOut.put("failFast", false);
                fanOut.put("allowEmpty", false);
                request = request.withFanOut(fanOut);
            }
            invoker.invoke(request);
            audit.recordLater(actor(a.name), "invoke", k.runId(), Map.of("script", a.script, "slot", k.slot().toString()));
            return new ScheduleOutcome(a.name, k.runId(), k.slot(), null);
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            SecretArgs.forget(request, store.secrets());
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            audit.recordLater(actor(a.name), "schedule-missed", a.name, details(1, k.slot(), "the run could not start: " + why));
            return new ScheduleOutcome(a.name, k.runId(), k.slot(), why);
        }
    }

    /** The names of a schedule's secret args (their values are never shown). */
    public List<String> secretArgNames(String name) {
        return List.copyOf(store.secrets().load(RunSecretStore.scheduleKey(name)).keySet());
    }

    static String actor(String name) {
        return "schedule:" + name;
    }

    private static Map<String, Object> details(long missed, Instant last, String reason) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("missed", missed);
        details.put("lastMissed", last == null ? null : last.toString());
        details.put("reason", reason);
        return details;
    }

    /** Stops the thread; a batch being fired is finished first (bounded by the coordinator's invokes). */
    @Override
    public void close() {
        closed = true;
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (thread.isAlive()) {
            try {
                if (!thread.join(Duration.ofSeconds(10))) {
                    thread.interrupt();
                    thread.join(Duration.ofSeconds(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        starters.close();
    }

}
