package io.steward.coordinator;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * What describes a node (claim 22): the same fields everywhere a node appears. {@link #toMap()} adds the current
 * load average, which changes while the rest does not.
 */
public record NodeInfo(String name, String host, String os, String arch, int cpus, long memoryBytes,
                       Map<String, String> labels, String jvm, String version, Instant startedAt) {

    public static final String VERSION = readVersion();

    public NodeInfo {
        labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
    }

    /** This machine, under the given node name (the host name when {@code null}). */
    public static NodeInfo local(String name, Map<String, String> labels) {
        String host = hostName();
        return new NodeInfo(name == null || name.isBlank() ? host : name, host, System.getProperty("os.name"),
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), physicalMemory(), labels,
                System.getProperty("java.vm.vendor") + " " + Runtime.version(), VERSION, Instant.now());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("name", name);
        map.put("host", host);
        map.put("os", os);
        map.put("arch", arch);
        map.put("cpus", (long) cpus);
        map.put("memoryBytes", memoryBytes);
        map.put("load", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        map.put("labels", new TreeMap<String, Object>(labels));
        map.put("jvm", jvm);
        map.put("version", version);
        map.put("startedAt", startedAt.toString());
        return map;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            String env = System.getenv("HOSTNAME");
            return env != null ? env : "localhost";
        }
    }

    private static long physicalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static String readVersion() {
        try (InputStream in = NodeInfo.class.getResourceAsStream("/io/steward/version.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
