package io.sparkeras.api.callbacks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Streams every epoch's logs to a CSV file, like Keras 3's {@code keras.callbacks.CSVLogger}.
 *
 * <p>The header is {@code epoch} followed by the first epoch's log keys in sorted order; each
 * epoch then adds one row: the 0-based epoch and the values, written as Python writes floats
 * ({@code 0.25}, {@code 1e-05}, {@code nan}); a key missing from a later epoch is written
 * {@code NA}, keys that appear only later are not written. Lines end with {@code \r\n} and cells
 * holding the separator, a quote or a line break are quoted, as Python's {@code csv} module does.
 * The file is flushed after every row. With {@link #append}, rows are added to an existing file
 * and the header is written only if the file is empty or absent.
 *
 * <p>Where it writes: a path without a scheme or with {@code file:} is written with
 * {@code java.nio} (plain local file, no Hadoop {@code .crc} side file, real append); any other
 * scheme ({@code hdfs://}, ...) through the Hadoop FileSystem API, flushed with
 * {@code hflush()} (append needs a file system that supports it, as HDFS does). Parent
 * directories are created.
 *
 * <pre>{@code
 * CSVLogger csv = new CSVLogger("runs/7/training.csv").separator(";").append(true);
 * model.fit(x, y, FitOptions.epochs(10).validationSplit(0.1).callbacks(csv));
 * // epoch;accuracy;loss;val_accuracy;val_loss
 * // 0;0.71;0.83;0.78;0.61
 * }</pre>
 */
public class CSVLogger extends Callback {
  private final String filename;
  private char separator = ',';
  private boolean append;

  private Writer writer;
  private FSDataOutputStream hadoopStream;
  private List<String> keys;
  private boolean writeHeader;

  /** @param filename a local path, {@code file:} URI, or any Hadoop path string */
  public CSVLogger(String filename) {
    if (filename == null || filename.isEmpty()) {
      throw new IllegalArgumentException("CSVLogger filename: expected a path, found "
          + (filename == null ? "null" : "\"\""));
    }
    this.filename = filename;
  }

  /** The cell separator, one character. Default ",". */
  public CSVLogger separator(String separator) {
    if (separator == null || separator.length() != 1 || "\"\r\n".contains(separator)) {
      throw new IllegalArgumentException("CSVLogger separator: expected one character other "
          + "than a quote or a line break, found "
          + (separator == null ? "null" : "\"" + separator + "\""));
    }
    this.separator = separator.charAt(0);
    return this;
  }

  /** True: add to an existing file (to continue training); false: overwrite. Default false. */
  public CSVLogger append(boolean append) {
    this.append = append;
    return this;
  }

  public String getFilename() {
    return filename;
  }

  public String getSeparator() {
    return String.valueOf(separator);
  }

  public boolean isAppend() {
    return append;
  }

  @Override
  public void onTrainBegin(Map<String, Double> logs) {
    close();
    keys = null;
    try {
      open();
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot open " + filename + ": "
          + e.getMessage(), e);
    }
  }

  private void open() throws IOException {
    URI uri = new Path(filename).toUri();
    if (uri.getScheme() == null || uri.getScheme().equals("file")) {
      java.nio.file.Path p = uri.getScheme() == null ? java.nio.file.Path.of(filename)
          : java.nio.file.Path.of(uri);
      if (p.toAbsolutePath().getParent() != null) {
        Files.createDirectories(p.toAbsolutePath().getParent());
      }
      writeHeader = !(append && Files.exists(p) && Files.size(p) > 0 && !firstLineEmpty(
          Files.newInputStream(p)));
      OutputStream out = append
          ? Files.newOutputStream(p, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
          : Files.newOutputStream(p, StandardOpenOption.CREATE,
              StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
      return;
    }
    Path p = new Path(filename);
    FileSystem fs = p.getFileSystem(new Configuration());
    boolean exists = fs.exists(p);
    writeHeader = !(append && exists && fs.getFileStatus(p).getLen() > 0
        && !firstLineEmpty(fs.open(p)));
    hadoopStream = append && exists ? fs.append(p) : fs.create(p, true);
    writer = new OutputStreamWriter(hadoopStream, StandardCharsets.UTF_8);
  }

  /** Keras writes the header when the file's first line is empty. */
  private static boolean firstLineEmpty(java.io.InputStream in) throws IOException {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in,
        StandardCharsets.UTF_8))) {
      String line = r.readLine();
      return line == null || line.isEmpty();
    }
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    if (writer == null) {
      throw new IllegalStateException("CSVLogger: onTrainBegin must come before onEpochEnd "
          + "(fit calls both)");
    }
    if (keys == null) {
      keys = new ArrayList<>(logs.keySet());
      keys.sort(null);
    }
    StringBuilder b = new StringBuilder();
    if (writeHeader) {
      b.append("epoch");
      for (String k : keys) {
        b.append(separator).append(cell(k));
      }
      b.append("\r\n");
      writeHeader = false;
    }
    b.append(epoch);
    for (String k : keys) {
      Double v = logs.get(k);
      b.append(separator).append(v == null ? "NA" : cell(PyFormat.repr(v)));
    }
    b.append("\r\n");
    try {
      writer.write(b.toString());
      writer.flush();
      if (hadoopStream != null) {
        hadoopStream.hflush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot write to " + filename + ": "
          + e.getMessage(), e);
    }
  }

  private String cell(String s) {
    if (s.indexOf(separator) >= 0 || s.indexOf('"') >= 0 || s.indexOf('\r') >= 0
        || s.indexOf('\n') >= 0) {
      return '"' + s.replace("\"", "\"\"") + '"';
    }
    return s;
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    close();
  }

  private void close() {
    if (writer == null) {
      return;
    }
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("CSVLogger: cannot close " + filename + ": "
          + e.getMessage(), e);
    } finally {
      writer = null;
      hadoopStream = null;
    }
  }
}
