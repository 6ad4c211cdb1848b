/**
 * JMH microbenchmarks, run with {@code ./kmq bench jmh} or {@code java -cp kmq-bench.jar org.openjdk.jmh.Main}:
 * marker encoding and decoding (every record kmq handles costs a START and an END marker) and the redelivery
 * tracker's deadline index (its key codec, and the in-flight store on RocksDB and in memory), the client's
 * in-flight bookkeeping per record, and the client's whole receiving loop against a plain consumer's.
 */
package io.kmq.bench.jmh;
