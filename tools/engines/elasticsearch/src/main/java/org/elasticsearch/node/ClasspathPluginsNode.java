package org.elasticsearch.node;

import java.util.Collection;
import java.util.Map;

import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.plugins.MockPluginsService;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.plugins.PluginsLoader;
import org.elasticsearch.plugins.PluginsService;

/**
 * A real Elasticsearch node whose plugins are classes on the class path.
 *
 * <p>This is what the test framework's {@code MockNode} does, without its randomized test
 * bootstrap (which refuses to run as root and picks random transport ports). It lives in
 * this package because the node construction hooks are package-private.
 */
public class ClasspathPluginsNode extends Node {

    public ClasspathPluginsNode(Settings settings, Collection<Class<? extends Plugin>> classpathPlugins) {
        this(InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), null, () -> "es-node"), classpathPlugins);
    }

    private ClasspathPluginsNode(Environment environment, Collection<Class<? extends Plugin>> classpathPlugins) {
        super(NodeConstruction.prepareConstruction(environment, null, new NodeServiceProvider() {
            @Override
            PluginsService newPluginService(Environment initialEnvironment, PluginsLoader pluginsLoader) {
                return new MockPluginsService(initialEnvironment.settings(), initialEnvironment, classpathPlugins);
            }
        }, true));
    }
}
