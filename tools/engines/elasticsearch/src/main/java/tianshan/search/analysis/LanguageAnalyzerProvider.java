package tianshan.search.analysis;

import org.apache.lucene.analysis.Analyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;

/** Hands out one prebuilt Lucene analyzer for an index. */
final class LanguageAnalyzerProvider<T extends Analyzer> extends AbstractIndexAnalyzerProvider<T> {

    private final T analyzer;

    LanguageAnalyzerProvider(String name, Settings settings, T analyzer) {
        super(name, settings);
        this.analyzer = analyzer;
    }

    @Override
    public T get() {
        return analyzer;
    }
}
