package org.vaespark.jobs.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.vaespark.core.testing.SharedData;

/**
 * Every relative link in README.md and docs/*.md names a file or directory that exists, and a link's #anchor
 * into a Markdown page (or within the page) names one of that page's headings, slugged as GitHub does.
 * External links are not followed.
 */
class DocsLinksTest {
    private static final Path ROOT = SharedData.projectRoot();
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        assertTrue(pages.size() > 5, "README.md and the docs pages: " + pages);
        List<String> broken = new ArrayList<>();
        for (Path page : pages) {
            broken.addAll(brokenLinks(page, Files.readString(page, StandardCharsets.UTF_8)));
        }
        assertEquals(List.of(), broken, "links to files that do not exist");
    }

    @Test
    void aBrokenLinkIsFound() {
        Path page = ROOT.resolve("docs/example.md");
        List<String> broken = brokenLinks(page, "# Example\n## Where a round's time goes: `x` (fast)\n```\n# not a heading\n```\n"
                + "[a](math.md) [b](nowhere.md#x) [c](https://example.org/x) [d](#local) ![e](../README.md) "
                + "[f](../conf/ \"title\") [g](#where-a-rounds-time-goes-x-fast) [h](#not-a-heading) "
                + "[i](math.md#evaluation-protocol) [j](math.md#no-such-section)");
        assertEquals(List.of("docs/example.md -> nowhere.md#x", "docs/example.md -> #local", "docs/example.md -> #not-a-heading",
                "docs/example.md -> math.md#no-such-section"), broken);
    }

    /** The anchors GitHub gives a page's headings (fenced code blocks skipped; no duplicate suffixes needed here). */
    static Set<String> anchors(String text) {
        Set<String> anchors = new HashSet<>();
        boolean fenced = false;
        for (String line : text.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
            } else if (!fenced && line.matches("#{1,6} .*")) {
                String title = line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT);
                anchors.add(title.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
            }
        }
        return anchors;
    }

    static List<String> brokenLinks(Path page, String text) {
        List<String> broken = new ArrayList<>();
        Matcher m = LINK.matcher(text);
        while (m.find()) {
            String target = m.group(1);
            if (target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
                continue;
            }
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
            if (!Files.exists(resolved) && !file.isEmpty()) {
                broken.add(ROOT.relativize(page) + " -> " + target);
            } else if (hash >= 0 && resolved.toString().endsWith(".md")
                    && !anchors(resolved.equals(page) ? text : read(resolved)).contains(target.substring(hash + 1))) {
                broken.add(ROOT.relativize(page) + " -> " + target);
            }
        }
        return broken.stream().distinct().collect(Collectors.toList());
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(file.toString(), e);
        }
    }
}
