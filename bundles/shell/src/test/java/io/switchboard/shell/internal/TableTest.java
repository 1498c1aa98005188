package io.switchboard.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import org.apache.karaf.shell.support.table.ShellTable;
import org.junit.jupiter.api.Test;

/**
 * The commands print through {@link Table} in both shells; before, the Karaf actions printed
 * through Karaf's {@code ShellTable}. The same columns and rows give the same text as ShellTable
 * prints when it writes ASCII, so the Karaf commands read as they did.
 */
class TableTest {

    @Test
    void printsWhatKarafsShellTablePrints() {
        List<Object[]> rows = List.of(
                new Object[] { 7, "default", "/echo", "127.0.0.1:40000", "echo [12]", "4m05s", 120, 98_765 },
                new Object[] { 12_345, "b", "/", "", "(waiting for a handler)", "0s", 0, 0 },
                new Object[] { 8, "default", "/chat", "[::1]:40001", "", "2h03m", 1, "" });
        String[] headers = { "Id", "Endpoint", "Route", "Remote", "Handler", "Age", "Bytes in", "Bytes out" };
        boolean[] right = { true, false, false, false, false, true, true, true };

        Table table = new Table();
        ShellTable karaf = new ShellTable();
        for (int i = 0; i < headers.length; i++) {
            if (right[i]) {
                table.right(headers[i]);
                karaf.column(headers[i]).alignRight();
            } else {
                table.left(headers[i]);
                karaf.column(headers[i]);
            }
        }
        for (Object[] row : rows) {
            table.row(row);
            karaf.addRow().addContent(row);
        }
        assertEquals(printed(karaf::print), printed(table::print));
    }

    @Test
    void aTableWithoutRowsIsItsHeaderAndRule() {
        Table table = new Table().left("Name").right("Port").left("Reason");
        ShellTable karaf = new ShellTable();
        karaf.column("Name");
        karaf.column("Port").alignRight();
        karaf.column("Reason");
        assertEquals("Name | Port | Reason\n-----+------+-------\n", printed(table::print).replace("\r\n", "\n"));
        assertEquals(printed(karaf::print), printed(table::print));
    }

    @Test
    void aCellIsOneLineAndNullIsEmpty() {
        Table table = new Table().left("State").left("Reason").right("Ranking");
        table.row("failed", "first line\nsecond line", null);
        assertEquals(List.of("State  | Reason                 | Ranking", "-------+------------------------+--------",
                "failed | first line second line |"), printed(table::print).lines().toList());
    }

    @Test
    void aRowMustFillEveryColumn() {
        Table table = new Table().left("Name").left("Host");
        assertThrows(IllegalArgumentException.class, () -> table.row("default"));
    }

    private static String printed(Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        printer.accept(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
