package tianshan.search.nodes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.codelibs.opensearch.runner.OpenSearchRunner;
import org.opensearch.node.Node;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Runs an OpenSearch cluster of one or more real nodes in this JVM, on loopback only.
 *
 * <p>Arguments: {@code -home DIR -httpPorts P1,P2,.. -transportPorts T1,T2,.. -controlPort N
 * [-clusterName NAME] [-exitOnStdinEof]}. One node is started per HTTP port.
 *
 * <p>A small control server on {@code -controlPort} lets tests stop and start single nodes:
 * {@code GET /nodes}, {@code POST /nodes/{n}/stop}, {@code POST /nodes/{n}/start} (n counts
 * from 1), {@code POST /shutdown}.
 */
public final class OpenSearchClusterMain {

    /** The modules a search index needs; scripting and ingest would only slow the start. */
    private static final List<String> MODULES = List.of(
        "org.opensearch.analysis.common.CommonAnalysisPlugin",
        "org.opensearch.index.mapper.MapperExtrasPlugin",
        "org.opensearch.index.reindex.ReindexPlugin",
        "org.opensearch.transport.Netty4Plugin"
    );

    private final OpenSearchRunner runner = new OpenSearchRunner();
    private final List<String> httpPorts;
    private final CountDownLatch stopped = new CountDownLatch(1);

    private OpenSearchClusterMain(List<String> httpPorts) {
        this.httpPorts = httpPorts;
    }

    public static void main(String[] args) {
        try {
            run(parse(args));
        } catch (Throwable e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(Map<String, String> options) throws Exception {
        List<String> httpPorts = List.of(require(options, "httpPorts").split(","));
        List<String> transportPorts = List.of(require(options, "transportPorts").split(","));
        if (httpPorts.size() != transportPorts.size()) {
            throw new IllegalArgumentException("-httpPorts and -transportPorts must list as many ports");
        }
        int size = httpPorts.size();
        List<String> seedHosts = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            seedHosts.add("127.0.0.1:" + transportPorts.get(i));
        }
        OpenSearchClusterMain cluster = new OpenSearchClusterMain(httpPorts);
        OpenSearchRunner runner = cluster.runner;
        runner.setMaxHttpPort(-1);
        runner.onBuild((id, settings) -> {
            settings.put("node.name", "os-" + id);
            settings.put("http.port", httpPorts.get(id - 1));
            settings.put("transport.port", transportPorts.get(id - 1));
            settings.put("network.host", "127.0.0.1");
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.destructive_requires_name", false);
            if (size == 1) {
                settings.put("discovery.type", "single-node");
            } else {
                settings.putList("discovery.seed_hosts", seedHosts);
                // nodes start one after another: the first bootstraps the cluster on its own
                // and the others join it; the voting configuration then grows to all of them
                settings.putList("cluster.initial_cluster_manager_nodes", "os-1");
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(cluster::closeAll, "cluster-shutdown"));
        runner.build(new OpenSearchRunner.Configs()
            .basePath(Path.of(require(options, "home")).toAbsolutePath().toString())
            .clusterName(options.getOrDefault("clusterName", "tianshan-test"))
            .moduleTypes(String.join(",", MODULES))
            .numOfNode(size));
        cluster.startControlServer(Integer.parseInt(require(options, "controlPort")));
        System.out.println("CLUSTER STARTED nodes=" + size);
        System.out.flush();
        if (options.containsKey("exitOnStdinEof")) {
            Thread watcher = new Thread(() -> {
                try {
                    while (System.in.read() != -1) {
                        // input is ignored; only its end matters
                    }
                } catch (IOException ignored) {
                    // treat a broken pipe like the end of input
                }
                System.exit(0);
            }, "stdin-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }
        cluster.stopped.await();
        System.exit(0);
    }

    private void startControlServer(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String[] parts = exchange.getRequestURI().getPath().replaceAll("^/+|/+$", "").split("/");
        try {
            if (method.equals("GET") && parts.length == 1 && parts[0].equals("nodes")) {
                reply(exchange, 200, describeNodes());
            } else if (method.equals("POST") && parts.length == 3 && parts[0].equals("nodes")) {
                int index = Integer.parseInt(parts[1]) - 1;
                if (index < 0 || index >= runner.getNodeSize()) {
                    reply(exchange, 404, "{\"error\":\"no node " + parts[1] + "\"}");
                } else if (parts[2].equals("stop")) {
                    Node node = runner.getNode(index);
                    node.close();
                    node.awaitClose(30, TimeUnit.SECONDS);
                    reply(exchange, 200, describeNodes());
                } else if (parts[2].equals("start")) {
                    boolean started = runner.startNode(index);
                    reply(exchange, started ? 200 : 409, describeNodes());
                } else {
                    reply(exchange, 404, "{\"error\":\"unknown action\"}");
                }
            } else if (method.equals("POST") && parts.length == 1 && parts[0].equals("shutdown")) {
                reply(exchange, 200, "{\"shutdown\":true}");
                new Thread(() -> {
                    closeAll();
                    System.exit(0);
                }, "control-shutdown").start();
            } else {
                reply(exchange, 404, "{\"error\":\"unknown path\"}");
            }
        } catch (Exception e) {
            String message = String.valueOf(e.getMessage()).replace("\\", "\\\\").replace("\"", "\\\"");
            reply(exchange, 500, "{\"error\":\"" + message + "\"}");
        }
    }

    private String describeNodes() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < runner.getNodeSize(); i++) {
            if (i > 0) {
                json.append(',');
            }
            Node node = runner.getNode(i);
            json.append("{\"node\":").append(i + 1)
                .append(",\"name\":\"os-").append(i + 1)
                .append("\",\"http_port\":").append(httpPorts.get(i))
                .append(",\"running\":").append(!node.isClosed())
                .append('}');
        }
        return json.append(']').toString();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private synchronized void closeAll() {
        try {
            if (!runner.isClosed()) {
                runner.close();
            }
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
