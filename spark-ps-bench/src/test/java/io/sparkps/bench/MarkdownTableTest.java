package io.sparkps.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MarkdownTableTest {
  @Test
  void rightAlignsNumericColumnsAndSeparatesThousands() {
    MarkdownTable t = new MarkdownTable("case", "rows", "examples/s", "loss", "note");
    t.row("a9a", 32561, MarkdownTable.f0(2503535.4), MarkdownTable.f4(0.32519), "x | y");
    t.row("mnist", 8000L, "-", MarkdownTable.f4(Double.NaN), "1 / 2");
    assertEquals("""
        | case | rows | examples/s | loss | note |
        | --- | ---: | ---: | ---: | --- |
        | a9a | 32,561 | 2,503,535 | 0.3252 | x / y |
        | mnist | 8,000 | - | NaN | 1 / 2 |
        """, t.toString());
    assertEquals(2503535, MarkdownTable.parse(t.rows().get(0).get(2)));
  }

  @Test
  void refusesFloatingPointCellsWithoutDecimalsAndWrongRowLengths() {
    MarkdownTable t = new MarkdownTable("a", "b");
    assertThrows(IllegalArgumentException.class, () -> t.row("x", 1.5));
    assertThrows(IllegalArgumentException.class, () -> t.row("x"));
  }
}
