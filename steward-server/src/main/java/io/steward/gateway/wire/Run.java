package io.steward.gateway.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.steward.coordinator.RunState;

import java.util.List;
import java.util.Map;

/**
 * A run as a client sees it at one moment ({@code io.steward.coordinator.RunSnapshot#toMap()}): the answer to an
 * invoke, a poll and a cancel. Never holds private data.
 */
public record Run(String id, String script, long version, RunState state,
                  Map<String, Object> args,
                  @ApiField(description = "the run's shared data") Map<String, Object> shared,
                  RunStatus status,
                  @ApiField(description = "live script threads") List<RunThread> threads,
                  long threadsStarted,
                  @ApiField(description = "live local processes") List<RunProcess> processes,
                  @ApiField(description = "what the script returned, once it succeeded", nullable = true) Object result,
                  @ApiField(nullable = true) ScriptError error,
                  @ApiField(description = "the node it runs on") String node,
                  @ApiField(nullable = true, description = "the parent run of a fan-out or process-started child")
                  String parent,
                  List<RunChild> children,
                  @ApiField(description = "the token name that invoked it") String invoker,
                  @ApiField(format = "date-time") String createdAt,
                  @ApiField(format = "date-time", nullable = true) String startedAt,
                  @ApiField(format = "date-time", nullable = true) String endedAt,
                  long durationMs,
                  @ApiField(description = "the sequence number of its latest event") long lastSeq,
                  @JsonInclude(JsonInclude.Include.NON_NULL)
                  @ApiField(description = "which attempt of a retry chain it is (absent for a run without retries)")
                  RunRetry retry) {

    public static Run of(Map<String, ?> run) {
        return Wire.from(run, Run.class);
    }

    /**
     * The body of an answer about one run: its map itself, which writes the same JSON as its record. Converting every
     * answer to the record and then writing that cost about 5 % of a request thread's time on the invoke path; with
     * assertions on (every test run), each answer is still converted and its JSON compared with the record's, so a
     * field the record lacks or a value of the wrong kind fails the tests as {@link #of} would.
     */
    public static Object answer(Map<String, ?> run) {
        assert Wire.sameJson(run, Run.class);
        return run;
    }
}
