package dev.steward.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Image;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The user documentation (docs/*.md, copied into the jar at build time) rendered as HTML: links between pages point
 * at Steward's own /docs pages and images at its /docs/screenshots, so the docs read the same here as in the
 * repository.
 */
@Component
public class Documentation {

    /** What a doc name may be: the file name of a docs/*.md without the extension. */
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    private static final Pattern SCREENSHOT = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}\\.png");
    private static final Pattern RELATIVE_DOC = Pattern.compile("(?:\\./)?(?:docs/)?([a-z0-9][a-z0-9-]*)\\.md(#.*)?");
    private static final String ROOT = "docs/";

    /** A rendered page: its name, its title (the first heading) and its body as HTML. */
    public record Doc(String name, String title, String html) {}

    /** A page in the index: its name and title. */
    public record Entry(String name, String title) {}

    private final List<Extension> extensions = List.of(TablesExtension.create(), HeadingAnchorExtension.create());
    private final Parser parser = Parser.builder().extensions(extensions).build();
    private final HtmlRenderer renderer = HtmlRenderer.builder()
            .extensions(extensions)
            .attributeProviderFactory(context -> Documentation::linkToSteward)
            .build();

    /** The page of this name, rendered; empty for a name that is no doc. */
    public Optional<Doc> page(String name) {
        return markdown(name).map(text -> {
            Node document = parser.parse(text);
            document.accept(RAW_HTML_LINKS);
            return new Doc(name, title(document, name), renderer.render(document));
        });
    }

    /** Every doc, by title. */
    public List<Entry> index() {
        List<Entry> entries = new ArrayList<>();
        try {
            for (Resource resource :
                    new PathMatchingResourcePatternResolver().getResources("classpath:" + ROOT + "*.md")) {
                String file = resource.getFilename();
                if (file == null) {
                    continue;
                }
                String name = file.substring(0, file.length() - ".md".length());
                if (NAME.matcher(name).matches()) {
                    markdown(name).ifPresent(text -> entries.add(new Entry(name, title(parser.parse(text), name))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        entries.sort(Comparator.comparing(Entry::title, String.CASE_INSENSITIVE_ORDER));
        return entries;
    }

    /** The bytes of a screenshot the docs show; empty for a name that is none. */
    public Optional<byte[]> screenshot(String file) {
        if (!SCREENSHOT.matcher(file).matches()) {
            return Optional.empty();
        }
        return read(ROOT + "screenshots/" + file);
    }

    /**
     * Where a link written for the repository goes in Steward: {@code alerts.md#x} to {@code /docs/alerts#x},
     * {@code screenshots/a.png} to {@code /docs/screenshots/a.png}; absolute and other links as they are.
     */
    static String target(String href) {
        if (href.isEmpty()
                || href.startsWith("#")
                || href.startsWith("/")
                || URI.create(href.replace(" ", "%20")).isAbsolute()) {
            return href;
        }
        Matcher doc = RELATIVE_DOC.matcher(href);
        if (doc.matches()) {
            return "/docs/" + doc.group(1) + (doc.group(2) == null ? "" : doc.group(2));
        }
        String path = href.startsWith("./") ? href.substring(2) : href;
        if (path.startsWith("screenshots/")) {
            return "/docs/" + path;
        }
        return href;
    }

    private static final Pattern RAW_ATTRIBUTE = Pattern.compile("(src|href)=\"([^\"]*)\"");

    /** Rewrites src and href in HTML written into the Markdown as it is ({@code <img src="screenshots/...">}). */
    private static final AbstractVisitor RAW_HTML_LINKS = new AbstractVisitor() {
        @Override
        public void visit(HtmlBlock block) {
            block.setLiteral(rewrite(block.getLiteral()));
        }

        @Override
        public void visit(HtmlInline inline) {
            inline.setLiteral(rewrite(inline.getLiteral()));
        }

        private String rewrite(String html) {
            return RAW_ATTRIBUTE
                    .matcher(html)
                    .replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "=\"" + target(m.group(2)) + "\""));
        }
    };

    private static void linkToSteward(Node node, String tagName, Map<String, String> attributes) {
        if (node instanceof Link && attributes.containsKey("href")) {
            attributes.put("href", target(attributes.get("href")));
        } else if (node instanceof Image && attributes.containsKey("src")) {
            attributes.put("src", target(attributes.get("src")));
            attributes.put("class", "img-fluid border rounded");
        } else if ("table".equals(tagName)) {
            attributes.put("class", "table table-sm table-bordered small");
        }
    }

    private static String title(Node document, String name) {
        for (Node node = document.getFirstChild(); node != null; node = node.getNext()) {
            if (node instanceof Heading heading && heading.getLevel() == 1) {
                StringBuilder text = new StringBuilder();
                for (Node part = heading.getFirstChild(); part != null; part = part.getNext()) {
                    if (part instanceof Text t) {
                        text.append(t.getLiteral());
                    } else if (part instanceof org.commonmark.node.Code code) {
                        text.append(code.getLiteral());
                    }
                }
                return text.toString().strip();
            }
        }
        return name;
    }

    private Optional<String> markdown(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return read(ROOT + name + ".md").map(bytes -> new String(bytes, StandardCharsets.UTF_8));
    }

    private static Optional<byte[]> read(String path) {
        try (InputStream in = Documentation.class.getClassLoader().getResourceAsStream(path)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
