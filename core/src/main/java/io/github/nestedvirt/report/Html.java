package io.github.nestedvirt.report;

/** Escaping of user-controlled text for the two places it lands in the page: HTML and an inline script. */
final class Html {

    private Html() {
    }

    /** Text safe as element content and as a quoted attribute value; {@code null} becomes empty. */
    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * JSON made safe inside a {@code <script>} element. In JSON, {@code <}, {@code >} and {@code &} can
     * only occur inside strings, where their {@code \}{@code u} escapes mean the same: so a plan named
     * {@code </script>} can neither end the script nor start a comment. U+2028 and U+2029 are escaped too,
     * because older JavaScript engines treat them as line ends.
     */
    static String scriptSafeJson(String json) {
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
