package dev.soma.enrich;

import dev.soma.ingest.isbn.Isbn;

import java.text.Normalizer;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Normalisation of what the book services return: text, ISBNs, language codes, author names and
 * HTML descriptions. Pure functions; thread-safe.
 */
public final class BookText {

    private static final Pattern SPACE = Pattern.compile("[\\s\\u00A0\\u200B]+");
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern BLOCK_TAG = Pattern.compile("(?i)<\\s*(br|/p|p|/div|div|li|/li|h\\d|/h\\d)\\b[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#\\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);");
    private static final Pattern LIFE_DATES = Pattern.compile("\\s*,?\\s*\\(?\\d{3,4}\\s*-\\s*(\\d{3,4})?\\)?\\.?$");
    private static final Map<String, String> ENTITIES = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"",
            "apos", "'", "nbsp", " ", "mdash", "—", "ndash", "–", "hellip", "…", "rsquo", "’");
    private static final Map<String, String> LANGUAGES = languages();

    private BookText() {
    }

    /** Unicode NFC, whitespace runs collapsed to one space, trimmed; null for null or blank. */
    public static String text(String s) {
        if (s == null) {
            return null;
        }
        String t = SPACE.matcher(Normalizer.normalize(s, Normalizer.Form.NFC)).replaceAll(" ").strip();
        return t.isEmpty() ? null : t;
    }

    /**
     * {@link #text} with SHOUTED or all-lower-case text put in title case ("THE WITCHES" → "The Witches");
     * mixed case is kept as the source wrote it.
     */
    public static String casing(String s) {
        String t = text(s);
        if (t == null) {
            return null;
        }
        boolean hasLetters = t.chars().anyMatch(Character::isLetter);
        if (!hasLetters || (!t.equals(t.toUpperCase(Locale.ROOT)) && !t.equals(t.toLowerCase(Locale.ROOT)))) {
            return t;
        }
        StringBuilder out = new StringBuilder(t.length());
        boolean start = true;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            out.append(start ? Character.toTitleCase(c) : Character.toLowerCase(c));
            start = Character.isWhitespace(c) || c == '-' || c == '(' || c == '"';
        }
        return out.toString();
    }

    /**
     * A comparison key: accents removed, lower case, every run of non-letters and non-digits one
     * space. "Charlie &amp; the  Chocolate Factory!" and "charlie the chocolate factory" share a key.
     */
    public static String key(String s) {
        if (s == null) {
            return "";
        }
        String decomposed = Normalizer.normalize(s, Normalizer.Form.NFKD).replaceAll("\\p{M}+", "");
        return decomposed.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /** True for 13 digits starting with 978 or 979 with a correct check digit; {@link Isbn#isIsbn13}. */
    public static boolean isIsbn13(String s) {
        return Isbn.isIsbn13(s);
    }

    /**
     * The ISBN-13 of an ISBN-10 or ISBN-13 (hyphens, spaces, tabs and no-break spaces allowed): "0-14-032872-8" →
     * "9780140328721". Null when the text is not a valid ISBN of either length. The project's one ISBN parser,
     * {@link Isbn#isbn13}, which ingestion's {@code isbn: true} rule shares.
     */
    public static String isbn13(String isbn) {
        return Isbn.isbn13(isbn);
    }

    /** The ISBN-10 of a 978- ISBN-13, or null (979- ISBNs have none); {@link Isbn#isbn10}. */
    public static String isbn10(String isbn13) {
        return Isbn.isbn10(isbn13);
    }

    /**
     * One form for languages: ISO 639-1 where the language has one ("en"), else the three-letter code.
     * Accepts "en", "en-GB", "eng", "/languages/eng", "fre" (bibliographic codes) and English names
     * ("English"). Null when unknown.
     */
    public static String language(String code) {
        String c = text(code);
        if (c == null) {
            return null;
        }
        c = c.toLowerCase(Locale.ROOT);
        int slash = c.lastIndexOf('/');
        if (slash >= 0) {
            c = c.substring(slash + 1);
        }
        int dash = c.indexOf('-') >= 0 ? c.indexOf('-') : c.indexOf('_');
        if (dash > 0) {
            c = c.substring(0, dash);
        }
        return LANGUAGES.get(c);
    }

    /**
     * "Dahl, Roald" → "Roald Dahl"; "Dahl, Roald, 1916-1990" → "Roald Dahl"; "ROALD DAHL" → "Roald Dahl";
     * other names are only {@link #text}-normalised. Null for blank.
     */
    public static String authorName(String name) {
        String n = text(name);
        if (n == null) {
            return null;
        }
        n = LIFE_DATES.matcher(n).replaceAll("").strip();
        int comma = n.indexOf(',');
        if (comma > 0 && n.indexOf(',', comma + 1) < 0) {
            String last = n.substring(0, comma).strip();
            String first = n.substring(comma + 1).strip();
            if (!first.isEmpty() && !first.matches("(?i)(jr|sr|ii|iii|iv)\\.?")) {
                n = first + " " + last;
            }
        }
        return casing(n);
    }

    /** Tags out (block tags become line breaks), entities decoded, whitespace normalised per line. */
    public static String stripHtml(String html) {
        if (html == null) {
            return null;
        }
        String s = BLOCK_TAG.matcher(html).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            String r;
            if (e.startsWith("#x") || e.startsWith("#X")) {
                r = new String(Character.toChars(Integer.parseInt(e.substring(2), 16)));
            } else if (e.startsWith("#")) {
                r = new String(Character.toChars(Integer.parseInt(e.substring(1))));
            } else {
                r = ENTITIES.getOrDefault(e.toLowerCase(Locale.ROOT), m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(r));
        }
        m.appendTail(out);
        StringBuilder lines = new StringBuilder();
        for (String line : out.toString().split("\n")) {
            String t = text(line);
            if (t != null) {
                lines.append(lines.length() == 0 ? "" : "\n").append(t);
            }
        }
        return lines.length() == 0 ? null : lines.toString();
    }

    private static Map<String, String> languages() {
        Map<String, String> map = new HashMap<>();
        for (String two : Locale.getISOLanguages()) {
            Locale locale = Locale.forLanguageTag(two);
            map.put(two, two);
            try {
                map.put(locale.getISO3Language(), two);
            } catch (java.util.MissingResourceException ignored) {
                // a language without a three-letter code: the two letters only
            }
            map.putIfAbsent(locale.getDisplayLanguage(Locale.ENGLISH).toLowerCase(Locale.ROOT), two);
        }
        // ISO 639-2/B codes, which Open Library uses, where they differ from the terminology codes
        String[][] bibliographic = {{"alb", "sq"}, {"arm", "hy"}, {"baq", "eu"}, {"bur", "my"}, {"chi", "zh"},
                {"cze", "cs"}, {"dut", "nl"}, {"fre", "fr"}, {"geo", "ka"}, {"ger", "de"}, {"gre", "el"},
                {"ice", "is"}, {"mac", "mk"}, {"mao", "mi"}, {"may", "ms"}, {"per", "fa"}, {"rum", "ro"},
                {"slo", "sk"}, {"tib", "bo"}, {"wel", "cy"}};
        for (String[] b : bibliographic) {
            map.put(b[0], b[1]);
        }
        return Map.copyOf(map);
    }
}
