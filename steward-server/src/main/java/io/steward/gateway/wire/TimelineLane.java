package io.steward.gateway.wire;

/** A script thread or local process of a run, from start to end. */
public record TimelineLane(@ApiField(description = "thread or process") String kind,
                           @ApiField(description = "the thread's name or the process's pid") String id,
                           @ApiField(description = "the thread's name or the process's command line") String name,
                           @ApiField(nullable = true, description = "the thread that spawned this thread or launched "
                                   + "this process; null for the run's first thread") String parent,
                           @ApiField(format = "date-time") String start,
                           @ApiField(format = "date-time", nullable = true, description = "null while it runs") String end,
                           @ApiField(description = "running, ok, failed, timed_out, killed, or unknown (the run ended "
                                   + "without this one's end)") String outcome,
                           @ApiField(nullable = true, description = "a failed thread's error, a process's exit code")
                           String detail) {
}
