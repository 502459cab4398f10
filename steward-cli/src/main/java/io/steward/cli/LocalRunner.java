package io.steward.cli;

import io.steward.coordinator.Coordinator;
import io.steward.coordinator.InvokeRequest;
import io.steward.coordinator.RunEvent;
import io.steward.coordinator.RunHandle;
import io.steward.coordinator.RunSnapshot;
import io.steward.coordinator.Subscription;

import java.io.PrintWriter;
import java.time.Duration;

/** Runs a script on an in-process coordinator and follows its events to the end. */
final class LocalRunner {
    private LocalRunner() {
    }

    static RunSnapshot follow(Coordinator coordinator, InvokeRequest request, PrintWriter out, boolean quiet)
            throws InterruptedException {
        RunHandle handle = coordinator.invoke(request);
        EventPrinter printer = new EventPrinter(out, Terminal.of(out));
        try (Subscription events = coordinator.subscribe(handle.id(), 0, 65_536)) {
            RunEvent e;
            while (!events.finished()) {
                e = events.next(Duration.ofMillis(500));
                if (e != null && !quiet) {
                    printer.print(e.kind(), e.data());
                }
            }
        }
        printer.finish();
        return handle.await(Duration.ofMinutes(1));
    }
}
