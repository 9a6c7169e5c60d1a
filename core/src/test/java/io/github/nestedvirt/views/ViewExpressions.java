package io.github.nestedvirt.views;

import java.io.IOException;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * Checks the plugin's Jelly views the way Jenkins evaluates them: commons-jexl reads {@code x.prop} through
 * a public {@code getProp()} or {@code isProp()} (or {@code get("prop")} of a map, or a public field), never a
 * record's {@code prop()}. Each {@code it}, {@code from}, {@code instance}, {@code descriptor} and
 * {@code j:forEach} variable is resolved to its class: plugin classes from their source (the plugin is not
 * compiled here), engine and JDK classes by reflection. Form fields need a getter on the instance, and
 * {@code f:select}, {@code c:select} and {@code f:validateButton} their {@code doFill...Items} and
 * {@code do...} methods on the descriptor. What leads into Jenkins' own classes cannot be checked here and
 * is listed as unverified.
 */
final class ViewExpressions {

    /** Variables Jenkins itself gives every view. */
    private static final Set<String> JENKINS_VARIABLES = Set.of("app", "h", "request", "request2", "response",
            "rootURL", "resURL", "imagesURL", "attrs", "context");
    private static final Set<String> COLLECTIONS = Set.of("List", "Collection", "Iterable", "Set", "SortedSet",
            "java.util.List", "java.util.Collection", "java.util.Set");
    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(?!%)([^}]*)}");
    private static final Pattern STRING = Pattern.compile("'[^']*'|\"[^\"]*\"");
    private static final Pattern PATH = Pattern.compile("(?<![\\w.$])([A-Za-z_]\\w*)((?:\\.[A-Za-z_]\\w*)+)(\\s*\\()?");
    private static final Set<String> SELECT_TAGS = Set.of("f:select", "c:select");

    /** What a view value is known to be. */
    interface ViewType {
    }

    record Reflected(Type type) implements ViewType {
    }

    record FromSource(ViewSource source) implements ViewType {
    }

    /** A collection declared in a plugin source, its element type as written there. */
    record SourceCollection(String element, ViewSource context) implements ViewType {
    }

    record Unverifiable(String why) implements ViewType {
    }

    private final Path sources;
    private final Path resources;
    private final List<String> problems = new ArrayList<>();
    private final List<String> unverified = new ArrayList<>();
    private final List<String> verified = new ArrayList<>();

    ViewExpressions(Path sources, Path resources) {
        this.sources = sources;
        this.resources = resources;
    }

    List<String> problems() {
        return problems;
    }

    List<String> unverified() {
        return unverified;
    }

    /** The expressions checked to the end, as {@code FILE: path}. */
    List<String> verified() {
        return verified;
    }

    void check(Path jelly) throws Exception {
        Path relative = resources.relativize(jelly);
        if (relative.getParent() == null) {
            return; // the plugin's description: no object behind it
        }
        String view = relative.toString();
        String className = relative.getParent().toString().replace('/', '.');
        Optional<ViewSource> own = ViewSource.of(sources, className);
        if (own.isEmpty()) {
            problems.add(view + ": no class " + className + " in " + sources + " for this view");
            return;
        }
        ViewSource descriptor = ViewSource.of(sources, className + "Descriptor").orElse(own.get());
        Map<String, ViewType> scope = new HashMap<>();
        for (String root : List.of("it", "from", "instance")) {
            scope.put(root, new FromSource(own.get()));
        }
        scope.put("descriptor", new FromSource(descriptor));
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element root = factory.newDocumentBuilder().parse(jelly.toFile()).getDocumentElement();
        walk(view, root, scope, own.get(), descriptor, "");
    }

    /** {@code enclosingField}: the field of the nearest {@code f:entry} above, which its controls bind to. */
    private void walk(String view, Element element, Map<String, ViewType> scope, ViewSource own,
            ViewSource descriptor, String enclosingField) {
        NamedNodeMap attributes = element.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            expressions(view, attributes.item(i).getNodeValue(), scope);
        }
        String tag = element.getTagName();
        String field = element.getAttribute("field");
        if (!field.isEmpty() && (tag.startsWith("f:") || tag.startsWith("c:"))) {
            if (own.getterType(field).isEmpty() && !own.declaresPublicField(field)) {
                problems.add(view + ": <" + tag + " field=\"" + field + "\">: " + own.name() + " has no get"
                        + capitalized(field) + "() or public field " + field + " to fill the form from");
            } else {
                verified.add(view + ": field " + field);
            }
        }
        String bound = field.isEmpty() ? enclosingField : field;
        if (SELECT_TAGS.contains(tag) && !bound.isEmpty()) {
            requireMethod(view, tag, descriptor, "doFill" + capitalized(bound) + "Items");
        }
        if (tag.equals("f:validateButton")) {
            requireMethod(view, tag, descriptor, "do" + capitalized(element.getAttribute("method")));
        }
        Map<String, ViewType> inner = scope;
        if (tag.equals("j:forEach") && !element.getAttribute("var").isEmpty()) {
            inner = new HashMap<>(scope);
            inner.put(element.getAttribute("var"), element(view, items(view, element.getAttribute("items"), scope)));
        }
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            Node child = children.item(i);
            if (child instanceof Element childElement) {
                walk(view, childElement, inner, own, descriptor, bound);
            } else if (child.getNodeType() == Node.TEXT_NODE) {
                expressions(view, child.getNodeValue(), inner);
            }
        }
    }

    private void requireMethod(String view, String tag, ViewSource descriptor, String method) {
        if (descriptor.declaresMethod(method)) {
            verified.add(view + ": " + method);
        } else {
            problems.add(view + ": <" + tag + ">: " + descriptor.name() + " declares no " + method + "(...)");
        }
    }

    /** The type of a forEach's {@code items}, a single path such as {@code ${it.tables}}. */
    private ViewType items(String view, String items, Map<String, ViewType> scope) {
        Matcher expression = EXPRESSION.matcher(items);
        if (!expression.matches()) {
            return new Unverifiable("items '" + items + "' is not one expression");
        }
        String path = expression.group(1).strip();
        String[] parts = path.split("\\.");
        ViewType type = scope.get(parts[0]);
        if (type == null) {
            return new Unverifiable("items of " + parts[0]);
        }
        for (int i = 1; i < parts.length && type != null; i++) {
            type = property(type, parts[i]);
        }
        return type == null ? new Unverifiable("items " + path + " (reported above)") : type;
    }

    private void expressions(String view, String text, Map<String, ViewType> scope) {
        if (text == null) {
            return;
        }
        Matcher expression = EXPRESSION.matcher(text);
        while (expression.find()) {
            Matcher path = PATH.matcher(STRING.matcher(expression.group(1)).replaceAll(""));
            while (path.find()) {
                check(view, path.group(1), path.group(2).substring(1).split("\\."), path.group(3) != null, scope);
            }
        }
    }

    private void check(String view, String root, String[] segments, boolean call, Map<String, ViewType> scope) {
        String shown = root + "." + String.join(".", segments) + (call ? "()" : "");
        ViewType type = scope.get(root);
        if (type == null) {
            if (!JENKINS_VARIABLES.contains(root)) {
                problems.add(view + ": ${" + shown + "}: no variable " + root + " in this view");
            }
            return;
        }
        for (int i = 0; i < segments.length; i++) {
            boolean last = i == segments.length - 1;
            if (type instanceof Unverifiable why) {
                unverified.add(view + ": ${" + shown + "}: " + why.why());
                return;
            }
            if (last && call) {
                if (declaresMethod(type, segments[i])) {
                    verified.add(view + ": " + shown);
                } else {
                    problems.add(view + ": ${" + shown + "}: " + describe(type) + " has no public method "
                            + segments[i]);
                }
                return;
            }
            ViewType next = property(type, segments[i]);
            if (next == null) {
                problems.add(view + ": ${" + shown + "}: " + describe(type) + " has no get" + capitalized(segments[i])
                        + "() or is" + capitalized(segments[i]) + "() (a record's " + segments[i] + "() is not read"
                        + " by Jelly)");
                return;
            }
            type = next;
        }
        if (type instanceof Unverifiable why) {
            unverified.add(view + ": ${" + shown + "}: " + why.why());
        } else {
            verified.add(view + ": " + shown);
        }
    }

    /** The type of {@code property} of {@code type}; null when JEXL would find nothing. */
    private ViewType property(ViewType type, String property) {
        if (type instanceof Unverifiable) {
            return type;
        }
        if (type instanceof SourceCollection) {
            return property(new Reflected(List.class), property);
        }
        if (type instanceof FromSource fromSource) {
            ViewSource source = fromSource.source();
            Optional<String> declared = source.getterType(property);
            if (declared.isPresent()) {
                return resolve(declared.get(), source);
            }
            if (source.declaresPublicField(property)) {
                return new Unverifiable("public field " + property + " of " + source.name());
            }
            return inherited(source, superclass -> property(superclass, property));
        }
        Type reflected = ((Reflected) type).type();
        if (!(reflected instanceof Class<?>) && !(reflected instanceof ParameterizedType)) {
            return new Unverifiable("a value of type " + reflected.getTypeName());
        }
        Class<?> raw = raw(reflected);
        if (Map.class.isAssignableFrom(raw)) {
            return new Unverifiable("a key of a map");
        }
        for (Method method : raw.getMethods()) {
            if (method.getParameterCount() == 0 && !Modifier.isStatic(method.getModifiers())
                    && (method.getName().equals("get" + capitalized(property))
                            || method.getName().equals("is" + capitalized(property)))) {
                return new Reflected(method.getGenericReturnType());
            }
        }
        return null;
    }

    private boolean declaresMethod(ViewType type, String method) {
        if (type instanceof Unverifiable) {
            return true;
        }
        if (type instanceof SourceCollection) {
            return declaresMethod(new Reflected(List.class), method);
        }
        if (type instanceof FromSource fromSource) {
            return fromSource.source().declaresMethod(method) || inherited(fromSource.source(),
                    superclass -> declaresMethod(superclass, method) ? new Unverifiable("inherited") : null) != null;
        }
        return List.of(raw(((Reflected) type).type()).getMethods()).stream().anyMatch(m -> m.getName().equals(method));
    }

    /** What the superclass gives: followed into plugin sources; Jenkins' classes cannot be read here. */
    private ViewType inherited(ViewSource source, java.util.function.Function<ViewType, ViewType> lookup) {
        String superclass = source.superclass();
        if (superclass == null) {
            return null;
        }
        ViewType parent = resolve(superclass, source);
        if (parent instanceof Unverifiable) {
            return new Unverifiable(source.name() + " extends " + superclass + ", which cannot be read here");
        }
        return lookup.apply(parent);
    }

    private ViewType element(String view, ViewType collection) {
        if (collection instanceof Unverifiable) {
            return collection;
        }
        if (collection instanceof SourceCollection declared) {
            return resolve(declared.element(), declared.context());
        }
        if (collection instanceof FromSource fromSource) {
            problems.add(view + ": j:forEach over " + fromSource.source().name() + ", which is no collection");
            return new Unverifiable("reported above");
        }
        Type type = ((Reflected) collection).type();
        if (type instanceof ParameterizedType parameterized && Iterable.class.isAssignableFrom(raw(parameterized))) {
            return new Reflected(parameterized.getActualTypeArguments()[0]);
        }
        if (type instanceof Class<?> array && array.isArray()) {
            return new Reflected(array.getComponentType());
        }
        if (type instanceof GenericArrayType array) {
            return new Reflected(array.getGenericComponentType());
        }
        return new Unverifiable("elements of " + type.getTypeName());
    }

    /** The type {@code text} (as written in {@code context}) names. */
    private ViewType resolve(String text, ViewSource context) {
        String written = text.strip();
        if (written.endsWith("[]")) {
            return new SourceCollection(written.substring(0, written.length() - 2), context);
        }
        int generic = written.indexOf('<');
        String raw = generic < 0 ? written : written.substring(0, generic);
        if (COLLECTIONS.contains(raw)) {
            return new SourceCollection(generic < 0 ? "Object" : firstArgument(written.substring(generic + 1,
                    written.lastIndexOf('>'))), context);
        }
        Map<String, Class<?>> primitives = Map.of("boolean", Boolean.class, "int", Integer.class, "long", Long.class,
                "double", Double.class);
        Class<?> primitive = primitives.get(raw);
        if (primitive != null) {
            return new Reflected(primitive);
        }
        String qualified = context.qualified(raw);
        if (qualified == null) {
            return new Unverifiable(raw + " (as named in " + context.name() + ")");
        }
        try {
            if (qualified.startsWith(ViewSource.PLUGIN_PACKAGE)) {
                Optional<ViewSource> source = ViewSource.of(sources, qualified);
                if (source.isPresent()) {
                    return new FromSource(source.get());
                }
            }
            return new Reflected(Class.forName(qualified));
        } catch (ClassNotFoundException | IOException e) {
            return new Unverifiable(qualified + ", a class of Jenkins or a plugin, not on this classpath");
        }
    }

    private static String firstArgument(String arguments) {
        int depth = 0;
        for (int i = 0; i < arguments.length(); i++) {
            char c = arguments.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                return arguments.substring(0, i).strip();
            }
        }
        return arguments.strip();
    }

    private static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType parameterized) {
            return (Class<?>) parameterized.getRawType();
        }
        return Object.class;
    }

    private static String describe(ViewType type) {
        if (type instanceof Reflected reflected) {
            return reflected.type().getTypeName();
        }
        if (type instanceof FromSource fromSource) {
            return fromSource.source().name();
        }
        if (type instanceof SourceCollection collection) {
            return "List<" + collection.element() + ">";
        }
        return ((Unverifiable) type).why();
    }

    private static String capitalized(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }
}
