package org.weft.recipes.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Markdown tables: escaping, alignment, title and note. */
class MarkdownTableTest {

    @Test
    void rendersTitleGridAndNote() {
        Table t = new Table("Table 2 (proxy)", List.of("method", "acc (%)", "top-3 recall"),
                List.of(List.of("a | b", "69.01", "—"), List.of("two\nlines", "91.2 %", "28.31")),
                "Means of 3 seeds.");
        assertEquals("""
                **Table 2 (proxy)**

                | method | acc (%) | top-3 recall |
                |---|---:|---:|
                | a \\| b | 69.01 | — |
                | two lines | 91.2 % | 28.31 |

                *Means of 3 seeds.*

                """, MarkdownTable.render(t));
    }

    @Test
    void tableWithoutTitleOrNoteIsJustTheGrid() {
        Table t = new Table("", List.of("x"), List.of(List.of("left")), null);
        assertEquals("| x |\n|---|\n| left |\n\n", MarkdownTable.render(t));
    }

    @Test
    void roundUpGivesOneTwoOrFiveTimesAPowerOfTen() {
        assertEquals(5000, Plots.roundUp(4700));
        assertEquals(50, Plots.roundUp(40));
        assertEquals(10, Plots.roundUp(10));
        assertEquals(200, Plots.roundUp(101));
    }
}
