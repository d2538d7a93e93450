package io.sparkeras.driver;

import static io.sparkeras.driver.TrainerSettings.*;
import static org.junit.jupiter.api.Assertions.*;

import io.sparkeras.driver.TrainerSettings.Setting;
import io.sparkeras.driver.TrainerSettings.Via;
import io.sparkeras.ps.ParameterServerContext;
import io.sparkeras.ps.SyncMode;
import io.sparkeras.worker.BadRowPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

/** The settings table: conf keys, defaults, the one mode parser, errors, and its doc page. */
class TrainerSettingsTest {
  static SparkConf conf() {
    return new SparkConf(false);
  }

  static String error(Runnable r) {
    return assertThrows(IllegalArgumentException.class, r::run).getMessage();
  }

  @Test
  void defaultsAreTheTables() {
    TrainerSettings s = TrainerSettings.fromConf(conf());
    assertEquals(TrainerSettings.WORKERS_DEFAULT, s.get(WORKERS));
    assertEquals(SyncMode.SYNC, s.mode());
    assertNull(s.get(CHECKPOINT_DIR));
    assertFalse(s.get(RESUME));
    assertEquals(BadRowPolicy.FAIL, s.get(BAD_ROWS));
    assertNull(s.get(SEED));
    assertTrue(s.get(SHUFFLE));
    assertEquals(0.0, s.get(VALIDATION_SPLIT));
    assertEquals(TrainerSettings.SCORING_BATCH_SIZE_DEFAULT, s.get(SCORING_BATCH_SIZE));
    assertEquals(List.of("features"), s.get(FEATURES_COL));
    assertEquals("127.0.0.1", s.get(PS_HOST));
    assertEquals(0, s.get(PS_PORT));
    assertEquals(TrainerSettings.PS_SHARDS_DEFAULT, s.get(PS_SHARDS));
    assertEquals(TrainerSettings.PS_TIMEOUT_MS_DEFAULT, s.get(PS_TIMEOUT));
    assertEquals(TrainerSettings.PS_TERM_LENGTH_DEFAULT, s.get(PS_TERM_LENGTH));
    assertEquals(ParameterServerContext.MTU_LENGTH_DEFAULT, s.get(PS_MTU));
    assertTrue(s.get(PS_IPC));
    // one default per setting, wherever it is read
    assertEquals(SyncMode.STALENESS_DEFAULT, TrainerSettings.STALENESS_DEFAULT);
    assertEquals(SyncMode.STALENESS_DEFAULT, ParameterServerContext.STALENESS_DEFAULT);
    assertEquals(SyncMode.async(2), SyncMode.parse("async"));
    assertEquals(SyncMode.averaging(8), SyncMode.parse("averaging"));
    assertEquals(io.sparkeras.api.models.FitOptions.defaults().epochs(),
        TrainerSettings.EPOCHS_DEFAULT);
    assertEquals(io.sparkeras.api.models.FitOptions.defaults().batchSize(),
        TrainerSettings.BATCH_SIZE_DEFAULT);
  }

  @Test
  void parameterServerNodesAreCheckedByName() {
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> TrainerSettings.fromConf(conf().set("spark.sparkeras.ps.nodes",
            "10.0.0.5:40123,10.0.0.6")));
    assertTrue(bad.getMessage().contains("spark.sparkeras.ps.nodes")
        && bad.getMessage().contains("'10.0.0.6'"), bad.getMessage());
    IllegalArgumentException noSecret = assertThrows(IllegalArgumentException.class,
        () -> TrainerSettings.fromConf(conf().set("spark.sparkeras.ps.nodes", "h:1")).conclude());
    assertTrue(noSecret.getMessage().contains("spark.sparkeras.ps.secretFile"),
        noSecret.getMessage());
    IllegalArgumentException steps = assertThrows(IllegalArgumentException.class,
        () -> TrainerSettings.fromConf(conf().set("spark.sparkeras.ps.stepCheckpoints", "true"))
            .conclude());
    assertTrue(steps.getMessage().contains("spark.sparkeras.ps.stepCheckpoints"),
        steps.getMessage());
  }

  @Test
  void everyConfKeyIsRead() {
    SparkConf c = conf().set("spark.driver.host", "10.0.0.7")
        .set("spark.sparkeras.workers", "4").set("spark.sparkeras.mode", "async")
        .set("spark.sparkeras.staleness", "5").set("spark.sparkeras.averageEvery", "3")
        .set("spark.sparkeras.checkpointDir", "file:/tmp/ck")
        .set("spark.sparkeras.badRows", "Skip").set("spark.sparkeras.seed", "-12")
        .set("spark.sparkeras.scoringBatchSize", "64").set("spark.sparkeras.ps.port", "40123")
        .set("spark.sparkeras.ps.shards", "2").set("spark.sparkeras.ps.timeoutMs", "5000")
        .set("spark.sparkeras.ps.termLength", "1048576").set("spark.sparkeras.ps.mtu", "8192")
        .set("spark.sparkeras.ps.ipc", "FALSE").set("spark.sparkeras.nulls", "Missing")
        .set("spark.sparkeras.ps.nodes", " 10.0.0.5:40123, ps2.example:40124 ")
        .set("spark.sparkeras.ps.secretFile", "/etc/sparkeras/ps.secret")
        .set("spark.sparkeras.ps.stepCheckpoints", "false")
        .set("spark.sparkeras.ps.overlapPush", "false")
        .set("spark.sparkeras.ps.compression", "FP16").set("spark.sparkeras.ps.threshold", "0.01");
    TrainerSettings s = TrainerSettings.fromConf(c);
    assertFalse(s.get(TrainerSettings.PS_OVERLAP_PUSH));
    assertEquals(io.sparkeras.ps.Compression.FP16, s.get(TrainerSettings.PS_COMPRESSION));
    assertEquals(0.01, s.get(TrainerSettings.PS_THRESHOLD));
    assertEquals(List.of("10.0.0.5:40123", "ps2.example:40124"), s.get(PS_NODES));
    assertEquals("/etc/sparkeras/ps.secret", s.get(PS_SECRET_FILE));
    assertFalse(s.get(PS_STEP_CHECKPOINTS));
    assertEquals(io.sparkeras.worker.RawColumnSpec.NullPolicy.MISSING,
        s.get(TrainerSettings.NULLS));
    assertEquals(4, s.get(WORKERS));
    assertEquals(SyncMode.async(5), s.mode());
    assertEquals("file:/tmp/ck", s.get(CHECKPOINT_DIR));
    assertEquals(BadRowPolicy.SKIP, s.get(BAD_ROWS));
    assertEquals(-12L, s.get(SEED));
    assertEquals(64, s.get(SCORING_BATCH_SIZE));
    assertEquals("10.0.0.7", s.get(PS_HOST));
    assertEquals(40123, s.get(PS_PORT));
    assertEquals(2, s.get(PS_SHARDS));
    assertEquals(5000, s.get(PS_TIMEOUT));
    assertEquals(1 << 20, s.get(PS_TERM_LENGTH));
    assertEquals(8192, s.get(PS_MTU));
    assertFalse(s.get(PS_IPC));
    assertEquals("10.0.0.8", TrainerSettings.fromConf(c.clone()
        .set("spark.sparkeras.ps.host", "10.0.0.8")).get(PS_HOST));
    // averaging takes averageEvery; a number in the mode text wins over the separate key
    assertEquals(SyncMode.averaging(3), TrainerSettings.fromConf(c.clone()
        .set("spark.sparkeras.mode", "averaging")).mode());
    assertEquals(SyncMode.async(9), TrainerSettings.fromConf(c.clone()
        .set("spark.sparkeras.mode", "async:9")).mode());
    // the conf set above holds every key of the table (ps.host: just above)
    Set<String> keys = new HashSet<>();
    for (Setting<?> k : TrainerSettings.TABLE) {
      if (k.key() != null && k != PS_HOST) {
        keys.add(k.key());
      }
    }
    Set<String> set = new HashSet<>();
    for (scala.Tuple2<String, String> kv : c.getAll()) {
      if (kv._1().startsWith("spark.sparkeras.")) {
        set.add(kv._1());
      }
    }
    assertEquals(keys, set);
  }

  @Test
  void aCopyHasTheSameSettingsAndChangesAlone() {
    TrainerSettings s = TrainerSettings.fromConf(conf().set("spark.sparkeras.badRows", "skip")
        .set("spark.sparkeras.mode", "async").set("spark.sparkeras.staleness", "3"))
        .binaryShape(io.sparkeras.worker.ColumnSpec.BinaryEncoding.UINT8, 28, 28);
    TrainerSettings c = s.copy();
    for (Setting<?> k : TrainerSettings.TABLE) {
      assertEquals(s.get(k), c.get(k), k.name());
    }
    assertEquals(SyncMode.async(3), c.mode());
    assertArrayEquals(new int[] {28, 28}, c.binaryShape());
    c.set(WORKERS, 7).set(BAD_ROWS, BadRowPolicy.FAIL).mode(SyncMode.SYNC);
    assertEquals(WORKERS_DEFAULT, s.get(WORKERS));
    assertEquals(BadRowPolicy.SKIP, s.get(BAD_ROWS));
    assertEquals(SyncMode.async(3), s.mode());
  }

  @Test
  void errorsNameTheSettingAsTheCallerSpelledIt() {
    assertEquals("spark.sparkeras.workers: expected an integer, found 'two'",
        error(() -> TrainerSettings.fromConf(conf().set("spark.sparkeras.workers", "two"))));
    assertEquals("spark.sparkeras.staleness: expected >= 0, found -1",
        error(() -> TrainerSettings.fromConf(conf().set("spark.sparkeras.staleness", "-1"))));
    assertEquals("spark.sparkeras.badRows: expected fail or skip, found 'drop'",
        error(() -> TrainerSettings.fromConf(conf().set("spark.sparkeras.badRows", "drop"))));
    assertEquals("spark.sparkeras.ps.ipc: expected true or false, found 'yes'",
        error(() -> TrainerSettings.fromConf(conf().set("spark.sparkeras.ps.ipc", "yes"))));
    assertEquals("spark.sparkeras.ps.compression: expected none, fp16, bf16 or threshold, found "
        + "'zip'", error(() -> TrainerSettings.fromConf(conf()
            .set("spark.sparkeras.ps.compression", "zip"))));
    assertEquals("spark.sparkeras.ps.threshold: expected a number > 0, found 0.0",
        error(() -> TrainerSettings.fromConf(conf().set("spark.sparkeras.ps.threshold", "0"))));
    assertEquals(io.sparkeras.ps.Compression.BF16, TrainerSettings.fromConf(conf()
        .set("spark.sparkeras.ps.compression", " bf16")).get(TrainerSettings.PS_COMPRESSION));
    assertTrue(error(() -> TrainerSettings.fromConf(conf().set("spark.sparkeras.ps.mtu",
        "1500"))).startsWith("spark.sparkeras.ps.mtu: expected a multiple of 32"));
    assertTrue(error(() -> TrainerSettings.fromConf(conf().set("spark.sparkeras.mode",
        "gossip"))).startsWith("spark.sparkeras.mode: expected sync, async or averaging"));
    assertTrue(error(() -> TrainerSettings.fromConf(conf().set("spark.sparkeras.mode",
        "sync:2"))).startsWith("spark.sparkeras.mode: expected sync, async:S or averaging:K"));
    String cross = error(() -> TrainerSettings.fromConf(conf()
        .set("spark.sparkeras.ps.termLength", "65536")));
    assertTrue(cross.startsWith("spark.sparkeras.ps.termLength: expected at least 8 times "
        + "spark.sparkeras.ps.mtu"), cross);
    // the builder names the conf key, the job its flag, Spark ML its param
    assertEquals("spark.sparkeras.workers: expected >= 1, found 0",
        error(() -> new TrainerSettings().set(WORKERS, 0)));
    assertEquals("--workers: expected >= 1, found 0", error(() -> WORKERS.check(0, Via.CLI)));
    assertEquals("workers: expected >= 1, found 0", error(() -> WORKERS.check(0, Via.PARAM)));
    assertEquals("labelCol: expected a column name, found ' '",
        error(() -> LABEL_COL.check(" ", Via.PARAM)));
    assertEquals("spark.sparkeras.checkpointDir: expected a non-blank value, found ''",
        error(() -> new TrainerSettings().set(CHECKPOINT_DIR, "")));
    assertTrue(error(() -> TrainerSettings.syncMode("ring", 2, 8, Via.CLI))
        .startsWith("--mode: expected sync, async or averaging"));
    assertEquals("--average-every: expected >= 1, found 0",
        error(() -> TrainerSettings.syncMode("averaging", 2, 0, Via.CLI)));
    assertEquals("averageEvery: expected >= 1, found 0",
        error(() -> TrainerSettings.syncMode("sync", 2, 0, Via.PARAM)));
  }

  /** docs/configuration.md lists every row of the table, with the same names and default. */
  @Test
  void theDocPageListsEverySetting() throws IOException {
    String doc = new String(Files.readAllBytes(Path.of("..", "docs", "configuration.md")),
        StandardCharsets.UTF_8);
    for (Setting<?> k : TrainerSettings.TABLE) {
      String row = "| " + k.name() + " | " + code(k.key()) + " | " + code(k.flag()) + " | "
          + code(k.isParam() ? k.name() : null) + " | " + k.defaultText() + " | ";
      assertTrue(doc.contains(row), "docs/configuration.md has no row starting " + row);
    }
  }

  private static String code(String name) {
    return name == null ? "—" : "`" + name + "`";
  }
}
