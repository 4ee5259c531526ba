package tianshan.search.nodes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.node.ClasspathPluginsNode;
import org.elasticsearch.node.Node;
import org.elasticsearch.transport.netty4.Netty4Plugin;

import tianshan.search.analysis.TestAnalysisPlugin;

/**
 * Runs one Elasticsearch node in this JVM, listening on loopback only.
 *
 * <p>Arguments: {@code -home DIR -httpPort N -transportPort N [-clusterName NAME]
 * [-exitOnStdinEof]}. The node stops on SIGTERM, or when standard input closes if
 * {@code -exitOnStdinEof} is given (so a test session that dies takes its node along).
 */
public final class ElasticsearchNodeMain {

    private ElasticsearchNodeMain() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path home = Path.of(require(options, "home")).toAbsolutePath();
        Files.createDirectories(home.resolve("data"));
        Files.createDirectories(home.resolve("logs"));
        Settings settings = Settings.builder()
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("cluster.name", options.getOrDefault("clusterName", "tianshan-test"))
            .put("node.name", "es-1")
            .put("network.host", "127.0.0.1")
            .put("http.port", require(options, "httpPort"))
            .put("transport.port", require(options, "transportPort"))
            .put("discovery.type", "single-node")
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.destructive_requires_name", false)
            .build();

        LogConfigurator.configureWithoutConfig(Settings.builder().put("logger.level", "INFO").build());
        Node node = new ClasspathPluginsNode(settings, List.of(Netty4Plugin.class, TestAnalysisPlugin.class));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(node, stopped), "node-shutdown"));
        try {
            node.start();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.out.println("NODE STARTED http=" + options.get("httpPort"));
        System.out.flush();
        if (options.containsKey("exitOnStdinEof")) {
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() != -1) {
                        // input is ignored; only its end matters
                    }
                } catch (Exception ignored) {
                    // treat a broken pipe like the end of input
                }
                System.exit(0);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        stopped.await();
    }

    private static void closeQuietly(Node node, CountDownLatch stopped) {
        try {
            node.close();
            node.awaitClose(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            e.printStackTrace();
        } finally {
            stopped.countDown();
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("-")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String key = arg.substring(1);
            if (i + 1 < args.length && !args[i + 1].startsWith("-")) {
                options.put(key, args[++i]);
            } else {
                options.put(key, "true");
            }
        }
        return options;
    }

    static String require(Map<String, String> options, String key) {
        String value = options.get(key);
        if (value == null) {
            throw new IllegalArgumentException("missing required argument -" + key);
        }
        return value;
    }
}
