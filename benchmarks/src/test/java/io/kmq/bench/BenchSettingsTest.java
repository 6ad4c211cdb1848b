package io.kmq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchSettingsTest {

    @Test
    void defaultsCoverEverySystemAndScenario() {
        BenchSettings s = BenchSettings.builder().build();
        assertEquals(List.of(Scenario.values()), s.scenarios());
        assertEquals(List.of(SystemKind.PLAIN, SystemKind.KMQ, SystemKind.SHARE), s.systems());
        assertEquals(50_000, s.latencyMessages());
        assertEquals(10, s.sendBatch());
        assertEquals(100, s.messageSize());
    }

    @Test
    void quickIsSmallerButCoversEverything() {
        BenchSettings quick = BenchSettings.quickBuilder().build();
        BenchSettings full = BenchSettings.builder().build();
        assertTrue(quick.quick());
        assertEquals(full.scenarios(), quick.scenarios());
        assertEquals(full.systems(), quick.systems());
        assertTrue(quick.messages() < full.messages());
        assertTrue(quick.backlog() < full.backlog());
        assertEquals(4_000, quick.latencyMessages());
    }

    @Test
    void toBuilderKeepsEverySetting() {
        BenchSettings s = BenchSettings.quickBuilder().messages(7).seed(9).systems(List.of(SystemKind.KMQ))
                .kmqMessageTimeout(Duration.ofSeconds(3))
                .trackerProperties(java.util.Map.of("kmq.tracker.commit.interval.ms", "50")).build();
        assertEquals(s.toString(), s.toBuilder().build().toString());
        assertEquals(java.util.Map.of("kmq.tracker.commit.interval.ms", "50"),
                s.toBuilder().build().trackerProperties());
    }

    @Test
    void kmqWithoutATrackerIsRefusedOnlyWhereMessagesAreDropped() {
        assertEquals("kmqTracker : none (expected: a running tracker when the drops scenario runs kmq: dropped "
                + "messages are redelivered by it)",
                message(BenchSettings.builder().kmqTracker(TrackerPlacement.NONE)));
        BenchSettings prepopulated = BenchSettings.builder().kmqTracker(TrackerPlacement.NONE)
                .scenarios(List.of(Scenario.PREPOPULATED)).build();
        assertEquals(TrackerPlacement.NONE, prepopulated.kmqTracker());
        assertEquals(TrackerPlacement.NONE, BenchSettings.builder().kmqTracker(TrackerPlacement.NONE)
                .systems(List.of(SystemKind.PLAIN, SystemKind.SHARE)).build().kmqTracker());
    }

    @Test
    void duplicatesAreDroppedKeepingTheOrder() {
        BenchSettings s = BenchSettings.builder()
                .systems(List.of(SystemKind.SHARE, SystemKind.PLAIN, SystemKind.SHARE)).build();
        assertEquals(List.of(SystemKind.SHARE, SystemKind.PLAIN), s.systems());
    }

    @Test
    void rejectsBadValuesNamingThem() {
        assertEquals("messages : 0 (expected: >= 1)", message(BenchSettings.builder().messages(0)));
        assertEquals("messageSize : 8 (expected: >= 16)", message(BenchSettings.builder().messageSize(8)));
        assertEquals("systems : [] (expected: at least one)", message(BenchSettings.builder().systems(List.of())));
        assertEquals("dropProbability : 1.5 (expected: >= 0 and < 1)",
                message(BenchSettings.builder().dropProbability(1.5)));
        assertTrue(message(BenchSettings.builder().maxDrops(5)).startsWith("maxDrops : 5 (expected: <= 4"));
        assertEquals("latencyDuration : PT0S (expected: > 0)",
                message(BenchSettings.builder().latencyDuration(Duration.ZERO)));
        assertEquals("trackerProperties : max.poll.records (expected: a kmq.tracker.* key)",
                message(BenchSettings.builder().trackerProperties(java.util.Map.of("max.poll.records", "5"))));
        assertEquals("sampleInterval : PT0.001S (expected: >= 10 ms)",
                message(BenchSettings.builder().sampleInterval(Duration.ofMillis(1))));
        assertEquals("warmupRuns : 0 (expected: >= 1)", message(BenchSettings.builder().warmupRuns(0)));
    }

    @Test
    void theThroughputScenariosGetMoreRoundsInAFullRun() {
        BenchSettings full = BenchSettings.builder().build();
        assertEquals(3, full.repeats(Scenario.DROPS));
        assertEquals(3, full.repeats(Scenario.LATENCY));
        assertEquals(7, full.repeats(Scenario.SEND_RECEIVE));
        assertEquals(7, full.repeats(Scenario.SEND_RECEIVE_ACKS1));
        assertEquals(7, full.repeats(Scenario.PREPOPULATED));
        assertEquals("3 run(s) per system (7 in send-receive, send-receive-acks1, prepopulated)",
                full.describeRepeats());
        assertEquals("7 run(s) per system",
                BenchSettings.builder().scenarios(List.of(Scenario.PREPOPULATED)).build().describeRepeats());
        assertEquals("3 run(s) per system",
                BenchSettings.builder().scenarios(List.of(Scenario.DROPS)).build().describeRepeats());
        BenchSettings quick = BenchSettings.quickBuilder().build();
        assertEquals(2, quick.repeats(Scenario.PREPOPULATED));
        assertEquals("2 run(s) per system", quick.describeRepeats());
        BenchSettings one = BenchSettings.builder().repeats(1).build();
        assertEquals(1, one.repeats(Scenario.SEND_RECEIVE), "repeats sets every scenario");
        assertEquals(5, BenchSettings.builder().repeats(1).throughputRepeats(5).build().toBuilder().build()
                .repeats(Scenario.PREPOPULATED));
        assertEquals("throughputRepeats : 0 (expected: >= 1)",
                message(BenchSettings.builder().throughputRepeats(0)));
    }

    @Test
    void theFullRunWarmsUpUntilCompiledAndQuickOnlyOnce() {
        assertEquals(6, BenchSettings.builder().build().warmupRuns());
        assertEquals(1, BenchSettings.quickBuilder().build().warmupRuns());
        assertEquals(2, BenchSettings.quickBuilder().warmupRuns(2).build().toBuilder().build().warmupRuns());
    }

    @Test
    void scenariosAndSystemsParseTheirIds() {
        assertEquals(Scenario.SEND_RECEIVE_ACKS1, Scenario.of(" Send-Receive-Acks1 "));
        assertEquals(SystemKind.SHARE, SystemKind.of("SHARE"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.of("nope"));
        assertEquals("scenario : nope (expected: one of send-receive, send-receive-acks1, prepopulated, drops, "
                + "latency)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SystemKind.of("rabbit"));
    }

    private static String message(BenchSettings.Builder builder) {
        return assertThrows(IllegalArgumentException.class, builder::build).getMessage();
    }
}
