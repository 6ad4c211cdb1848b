package io.kmq.bench;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;

/**
 * Where the benchmark ran: printed in every report, since numbers only compare within one machine and one run.
 *
 * @param cores         processors available to the JVM
 * @param memoryMb      physical memory, MB (-1 if unknown)
 * @param os            operating system name, version and architecture
 * @param jvm           JVM name, vendor and version
 * @param maxHeapMb     the benchmark JVM's maximum heap, MB
 * @param broker        how the broker ran (in a child JVM, external)
 */
public record Machine(int cores, long memoryMb, String os, String jvm, long maxHeapMb, String broker) {

    /** This machine and JVM, with the broker described by {@code broker}. */
    public static Machine current(String broker) {
        long memory = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            memory = os.getTotalMemorySize() / (1024 * 1024);
        }
        return new Machine(Runtime.getRuntime().availableProcessors(), memory,
                System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.vm.name") + " (" + System.getProperty("java.vm.vendor") + ") "
                        + System.getProperty("java.runtime.version", System.getProperty("java.version")),
                Runtime.getRuntime().maxMemory() / (1024 * 1024), broker);
    }
}
