package tianshan.search.analysis;

import java.io.Reader;
import java.util.List;

import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;

/**
 * The {@code mapping} char filter: replaces each left-hand string with its right-hand string,
 * longest match first. Rules come from the {@code mappings} list, one {@code "from => to"} each;
 * {@code \\uXXXX}, {@code \\n}, {@code \\t}, {@code \\r}, {@code \\\\} escapes are honoured.
 */
final class MappingCharFilterFactory extends AbstractCharFilterFactory implements NormalizingCharFilterFactory {

    private final NormalizeCharMap charMap;

    MappingCharFilterFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        super(name);
        List<String> rules = settings.getAsList("mappings");
        if (rules.isEmpty()) {
            throw new IllegalArgumentException("mapping requires [mappings] to be configured");
        }
        NormalizeCharMap.Builder builder = new NormalizeCharMap.Builder();
        for (String rule : rules) {
            int arrow = rule.indexOf("=>");
            if (arrow < 0) {
                throw new IllegalArgumentException("Invalid mapping rule : [" + rule + "]");
            }
            String from = unescape(rule.substring(0, arrow).trim());
            String to = unescape(rule.substring(arrow + 2).trim());
            if (from.isEmpty()) {
                throw new IllegalArgumentException("Invalid mapping rule : [" + rule + "]");
            }
            builder.add(from, to);
        }
        this.charMap = builder.build();
    }

    @Override
    public Reader create(Reader reader) {
        return new MappingCharFilter(charMap, reader);
    }

    static String unescape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\' || i + 1 == text.length()) {
                out.append(c);
                continue;
            }
            char next = text.charAt(++i);
            switch (next) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    if (i + 4 >= text.length()) {
                        throw new IllegalArgumentException("Invalid escaped char in [" + text + "]");
                    }
                    out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(next);
            }
        }
        return out.toString();
    }
}
