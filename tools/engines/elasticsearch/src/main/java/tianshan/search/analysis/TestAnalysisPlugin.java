package tianshan.search.analysis;

import static org.elasticsearch.plugins.AnalysisPlugin.requiresAnalysisSettings;

import java.util.Map;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

/**
 * Test-only analysis plugin for a node built from the published server artifacts.
 *
 * <p>Elasticsearch ships its language analyzers and most filters in the {@code analysis-common}
 * module, which is not published as a library. This plugin registers Lucene's own
 * implementations under the names a production node uses, so an index created with the
 * production settings applies unchanged:
 * analyzers {@code russian}, {@code english}, {@code cjk}; char filter {@code mapping};
 * token filter {@code asciifolding}. Each honours the settings the production one documents
 * for the options used here ({@code stopwords}, {@code stem_exclusion}, {@code mappings},
 * {@code preserve_original}).
 */
public final class TestAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of(
            "russian",
            (indexSettings, environment, name, settings) -> new LanguageAnalyzerProvider<>(
                name,
                settings,
                new RussianAnalyzer(
                    StopWords.parse(environment, settings, RussianAnalyzer.getDefaultStopSet()),
                    StopWords.stemExclusion(settings)
                )
            ),
            "english",
            (indexSettings, environment, name, settings) -> new LanguageAnalyzerProvider<>(
                name,
                settings,
                new EnglishAnalyzer(
                    StopWords.parse(environment, settings, EnglishAnalyzer.getDefaultStopSet()),
                    StopWords.stemExclusion(settings)
                )
            ),
            "cjk",
            (indexSettings, environment, name, settings) -> new LanguageAnalyzerProvider<>(
                name,
                settings,
                new CJKAnalyzer(StopWords.parse(environment, settings, CJKAnalyzer.getDefaultStopSet()))
            )
        );
    }

    @Override
    public Map<String, AnalysisProvider<CharFilterFactory>> getCharFilters() {
        return Map.of("mapping", requiresAnalysisSettings(MappingCharFilterFactory::new));
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of("asciifolding", AsciiFoldingTokenFilterFactory::new);
    }
}
