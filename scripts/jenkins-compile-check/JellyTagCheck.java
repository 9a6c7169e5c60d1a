import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Checks the tags and attributes of Jelly views against the real tag libraries: a tag of a Jelly
 * tag-file library ("/lib/form", "/charts", "/bootstrap5" ...) must be a .jelly file of that folder in
 * some src/main/resources of the sources, and an attribute it is given must be one its
 * st:documentation declares or its body reads (a tag file's attributes are variables in it; one that
 * passes {@code ATTRIBUTES="${attrs}"} on takes any); a tag of jelly:core must be one Jelly's
 * CoreTagLibrary registers. Prints "FILE:LINE: error: ..." per problem and their number last.
 * Usage: java JellyTagCheck.java SOURCES_DIR VIEW.jelly...
 */
public final class JellyTagCheck {

    private static final Pattern DECLARED = Pattern.compile("<st:attribute\\s+name=\"([^\"]+)\"");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern WORD = Pattern.compile("(?:attrs\\.)?\\b([A-Za-z_][A-Za-z0-9_]*)\\b");
    private static final Pattern REGISTERED = Pattern.compile("registerTag\\(\\s*\"([^\"]+)\"");
    /** Attributes every Jelly tag takes, and the namespace declarations. */
    private static final Set<String> ALWAYS = Set.of("trim", "escapeText");

    private final List<Path> resourceRoots = new ArrayList<>();
    private final Map<String, Optional<Set<String>>> tagFiles = new HashMap<>();
    private final Set<String> coreTags = new LinkedHashSet<>();
    private int errors;

    public static void main(String[] args) throws Exception {
        JellyTagCheck check = new JellyTagCheck(Path.of(args[0]));
        for (int i = 1; i < args.length; i++) {
            check.check(Path.of(args[i]));
        }
        System.out.println(check.errors + " errors");
    }

    private JellyTagCheck(Path sources) throws IOException {
        try (Stream<Path> walk = Files.walk(sources)) {
            walk.filter(p -> p.endsWith(Path.of("src/main/resources")) && Files.isDirectory(p))
                    .filter(p -> !p.toString().contains("/src/it/")).forEach(resourceRoots::add);
        }
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path library : walk.filter(p -> p.getFileName().toString().equals("CoreTagLibrary.java")).toList()) {
                Matcher tag = REGISTERED.matcher(Files.readString(library));
                while (tag.find()) {
                    coreTags.add(tag.group(1));
                }
            }
        }
        if (coreTags.isEmpty()) {
            throw new IllegalStateException(sources + ": no Jelly CoreTagLibrary.java in the sources");
        }
    }

    /**
     * What a tag file takes: the attributes it declares and the variables its expressions read (an
     * empty set: it declares none or passes all on, so anything goes); empty when there is no such tag.
     */
    private Optional<Set<String>> tagFile(String namespace, String tag) {
        return tagFiles.computeIfAbsent(namespace + "/" + tag, key -> {
            for (Path root : resourceRoots) {
                Path file = root.resolve(key.substring(1) + ".jelly");
                if (Files.isRegularFile(file)) {
                    try {
                        String text = Files.readString(file);
                        Set<String> declared = new LinkedHashSet<>();
                        Matcher attribute = DECLARED.matcher(text);
                        while (attribute.find()) {
                            declared.add(attribute.group(1));
                        }
                        if (declared.isEmpty() || text.contains("ATTRIBUTES=\"${attrs}\"")) {
                            return Optional.of(Set.of());
                        }
                        Matcher expression = EXPRESSION.matcher(text);
                        while (expression.find()) {
                            Matcher word = WORD.matcher(expression.group(1));
                            while (word.find()) {
                                declared.add(word.group(1));
                            }
                        }
                        return Optional.of(declared);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
            }
            return Optional.empty();
        });
    }

    private void check(Path view) throws Exception {
        SAXParserFactory factory = SAXParserFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.newSAXParser().parse(view.toFile(), new DefaultHandler() {
            private Locator locator;

            @Override
            public void setDocumentLocator(Locator locator) {
                this.locator = locator;
            }

            @Override
            public void startElement(String uri, String local, String qName, Attributes attributes) throws SAXException {
                if (uri.equals("jelly:core")) {
                    if (!coreTags.contains(local)) {
                        report("<" + qName + ">: jelly:core has no tag '" + local + "'");
                    }
                } else if (uri.startsWith("/")) {
                    Optional<Set<String>> declared = tagFile(uri, local);
                    if (declared.isEmpty()) {
                        report("<" + qName + ">: no tag file " + uri.substring(1) + "/" + local + ".jelly in the sources");
                    } else if (!declared.get().isEmpty()) {
                        for (int i = 0; i < attributes.getLength(); i++) {
                            String name = attributes.getQName(i);
                            if (!name.startsWith("xmlns") && !ALWAYS.contains(name) && !declared.get().contains(name)) {
                                report("<" + qName + " " + name + "=...>: " + uri.substring(1) + "/" + local
                                        + ".jelly neither declares nor reads an attribute '" + name + "'");
                            }
                        }
                    }
                }
            }

            private void report(String message) {
                System.out.println(view + ":" + locator.getLineNumber() + ": error: " + message);
                errors++;
            }
        });
    }
}
