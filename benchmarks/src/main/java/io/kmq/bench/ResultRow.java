package io.kmq.bench;

/**
 * One scenario and system, summarised over its measured runs: one object of {@code latest.json}'s {@code results}.
 * Throughput is the median of the runs with their min and max; latency percentiles come from the runs' histograms
 * merged; counts are totals over the runs.
 *
 * @param scenario             the scenario id
 * @param system               the system id
 * @param msgsPerS             median throughput of the runs, messages per second
 * @param msgsPerSMin          the slowest run
 * @param msgsPerSMax          the fastest run
 * @param runs                 how many runs (failed ones excluded from the throughput)
 * @param p50Ms                median end-to-end latency, ms; null when not measured (pre-populated)
 * @param p90Ms                90th percentile, ms
 * @param p99Ms                99th percentile, ms
 * @param p999Ms               99.9th percentile, ms
 * @param maxMs                the maximum, ms
 * @param sent                 messages sent, all runs
 * @param received             deliveries, all runs (drops and duplicates included)
 * @param lost                 messages sent and never processed, all runs
 * @param ratioVsPlain         {@code msgsPerS / msgsPerS of plain} in this scenario; null without plain
 * @param deliveriesPerMessage {@code received / sent}
 * @param startupMs            median start-up time of the receiver (group join; kmq: plus the tracker)
 * @param receiverCpuUs        median CPU time of the receiving thread per delivery, µs
 *                             ({@link RunResult#receiverCpuMicrosPerDelivery()}); null if not measured
 * @param cpuUs                median CPU time of all the benchmark's JVMs per message processed, µs
 *                             ({@link RunResult#cpuMicrosPerMessage()}); null if not measured
 * @param markersPerMessage    median markers written per message sent ({@link RunResult#markersPerMessage()}); null
 *                             for systems without markers
 * @param errors               runs that failed or timed out
 */
public record ResultRow(String scenario, String system, double msgsPerS, double msgsPerSMin, double msgsPerSMax,
                        int runs, Double p50Ms, Double p90Ms, Double p99Ms, Double p999Ms, Double maxMs, long sent,
                        long received, long lost, Double ratioVsPlain, double deliveriesPerMessage, double startupMs,
                        Double receiverCpuUs, Double cpuUs, Double markersPerMessage, int errors) {
}
