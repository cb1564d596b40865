package org.vaespark.jobs.leaderboard;

/** HTML escaping for text and attribute values: the five characters that can change markup. */
final class Html {
    private Html() {
    }

    /** {@code s} with &amp; &lt; &gt; " ' replaced by character references; null is not allowed. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
