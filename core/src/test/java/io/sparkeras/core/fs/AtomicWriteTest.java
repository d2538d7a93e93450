package io.sparkeras.core.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicWriteTest {
  @TempDir
  java.nio.file.Path dir;
  FileSystem fs;

  @BeforeEach
  void localFileSystem() throws IOException {
    fs = new Path(dir.toUri()).getFileSystem(new Configuration());
    fs.setWriteChecksum(false);
  }

  private Path path(String name) {
    return new Path(dir.resolve(name).toUri());
  }

  private List<String> names() throws IOException {
    try (Stream<java.nio.file.Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesAFileAndReplacesTheOldOne() throws IOException {
    Path target = path("sub/model.bin");
    AtomicWrite.file(fs, target, AtomicWrite.IfExists.REPLACE, out -> out.write(utf8("one")));
    AtomicWrite.file(fs, target, AtomicWrite.IfExists.REPLACE, out -> out.write(utf8("two")));
    assertArrayEquals(utf8("two"), Files.readAllBytes(dir.resolve("sub/model.bin")));
    try (Stream<java.nio.file.Path> s = Files.list(dir.resolve("sub"))) {
      assertEquals(List.of("model.bin"), s.map(p -> p.getFileName().toString()).toList(),
          "no temporary left");
    }
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporary() throws IOException {
    Path target = path("model.bin");
    AtomicWrite.file(fs, target, AtomicWrite.IfExists.REPLACE, out -> out.write(utf8("old")));
    IOException e = assertThrows(IOException.class, () -> AtomicWrite.file(fs, target,
        AtomicWrite.IfExists.REPLACE, out -> {
          out.write(utf8("half of the new"));
          throw new IOException("disk full");
        }));
    assertEquals("disk full", e.getMessage());
    assertArrayEquals(utf8("old"), Files.readAllBytes(dir.resolve("model.bin")));
    assertEquals(List.of("model.bin"), names());
    assertThrows(IllegalStateException.class, () -> AtomicWrite.file(fs, target,
        AtomicWrite.IfExists.REPLACE, out -> {
          throw new IllegalStateException("bug");
        }));
    assertEquals(List.of("model.bin"), names(), "unchecked failures clean up too");
  }

  @Test
  void failModeKeepsAnExistingTarget() throws IOException {
    Path target = path("stage");
    AtomicWrite.directory(fs, target, AtomicWrite.IfExists.FAIL,
        d -> write(fs, new Path(d, "a"), "first"));
    assertThrows(FileAlreadyExistsException.class, () -> AtomicWrite.directory(fs, target,
        AtomicWrite.IfExists.FAIL, d -> write(fs, new Path(d, "a"), "second")));
    assertArrayEquals(utf8("first"), Files.readAllBytes(dir.resolve("stage/a")));
    assertEquals(List.of("stage"), names());
  }

  @Test
  void replacesADirectoryWhole() throws IOException {
    Path target = path("epoch-0001");
    AtomicWrite.directory(fs, target, AtomicWrite.IfExists.REPLACE, d -> {
      write(fs, new Path(d, "a"), "1");
      write(fs, new Path(d, "b"), "1");
    });
    AtomicWrite.directory(fs, target, AtomicWrite.IfExists.REPLACE,
        d -> write(fs, new Path(d, "a"), "2"));
    try (Stream<java.nio.file.Path> s = Files.list(dir.resolve("epoch-0001"))) {
      assertEquals(List.of("a"), s.map(p -> p.getFileName().toString()).toList());
    }
    assertArrayEquals(utf8("2"), Files.readAllBytes(dir.resolve("epoch-0001/a")));
    assertEquals(List.of("epoch-0001"), names(), "the replaced directory is not nested inside");
  }

  @Test
  void neverDeletesADirectoryThatStandsWhereAFileGoes() throws IOException {
    Files.createDirectories(dir.resolve("data/part"));
    Files.write(dir.resolve("data/part/x"), utf8("keep"));
    assertThrows(IOException.class, () -> AtomicWrite.file(fs, path("data"),
        AtomicWrite.IfExists.REPLACE, out -> out.write(utf8("model"))));
    assertArrayEquals(utf8("keep"), Files.readAllBytes(dir.resolve("data/part/x")));
    assertEquals(List.of("data"), names());
  }

  @Test
  void theTemporaryIsAHiddenSibling() {
    Path tmp = AtomicWrite.temporary(new Path("hdfs://nn/models/fmnist.keras"));
    assertEquals("hdfs://nn/models", tmp.getParent().toString());
    assertTrue(tmp.getName().startsWith(".fmnist.keras.tmp-"), tmp.getName());
  }

  private static void write(FileSystem fs, Path p, String s) throws IOException {
    try (OutputStream out = fs.create(p, false)) {
      out.write(utf8(s));
    }
  }
}
