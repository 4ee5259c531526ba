package tianshan.search.analysis;

import org.apache.lucene.analysis.CharArraySet;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.analysis.Analysis;

/** Reads the {@code stopwords} and {@code stem_exclusion} options the way production does. */
final class StopWords {

    private StopWords() {}

    static CharArraySet parse(Environment environment, Settings settings, CharArraySet defaults) {
        return Analysis.parseStopWords(environment, settings, defaults);
    }

    static CharArraySet stemExclusion(Settings settings) {
        return Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET);
    }
}
