package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hyperband (Li et al., JMLR 2018), as KerasTuner's {@code HyperbandOracle}: brackets of
 * successive halving, from the most aggressive (many configurations, few epochs) to plain random
 * search (few configurations, {@code maxEpochs} each). In bracket {@code b}, round {@code r} runs
 * {@link #size(int, int)} trials for {@link #epochs(int, int)} epochs; each round after the first
 * continues the best {@code size} trials of the round before from their best checkpoint (values
 * {@code tuner/trial_id}, {@code tuner/initial_epoch}, {@code tuner/epochs}).
 *
 * <pre>{@code
 * Oracle o = new HyperbandOracle(Objective.max("val_accuracy")).maxEpochs(27).factor(3).seed(1);
 * // brackets 3, 2, 1, 0; bracket 3 runs 27 trials for 1 epoch, then 9 for 3, 3 for 9, 1 for 27
 * }</pre>
 *
 * <p>A trial of a later round starts as soon as the round before has more completed trials than
 * it will discard, as in KerasTuner; until then other trials or brackets run, or the slot waits
 * (IDLE).
 */
public final class HyperbandOracle extends Oracle {
  /** The values a Hyperband trial carries besides the space's. */
  public static final String EPOCHS = "tuner/epochs";
  public static final String INITIAL_EPOCH = "tuner/initial_epoch";
  public static final String BRACKET = "tuner/bracket";
  public static final String ROUND = "tuner/round";
  public static final String TRIAL_ID = "tuner/trial_id";

  private int maxEpochs = 100;
  private int factor = 3;
  private int iterations = 1;
  private int currentIteration;
  private int currentBracket = -1;
  /** Open brackets; each round a list of {past id, id} pairs. */
  private final List<Bracket> brackets = new ArrayList<>();

  private static final class Bracket {
    final int num;
    final List<List<String[]>> rounds = new ArrayList<>();

    Bracket(int num) {
      this.num = num;
      for (int r = 0; r <= num; r++) {
        rounds.add(new ArrayList<>());
      }
    }
  }

  public HyperbandOracle(Objective objective) {
    super(objective);
  }

  /** The most epochs one model trains (KerasTuner's {@code max_epochs}, default 100). */
  public HyperbandOracle maxEpochs(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("max_epochs: expected >= 1, found " + n);
    }
    this.maxEpochs = n;
    return this;
  }

  /** The reduction factor between rounds (default 3). */
  public HyperbandOracle factor(int f) {
    if (f < 2) {
      throw new IllegalArgumentException("factor: expected an integer >= 2, found " + f);
    }
    this.factor = f;
    return this;
  }

  /** How many times to run the whole set of brackets (default 1). */
  public HyperbandOracle hyperbandIterations(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("hyperband_iterations: expected >= 1, found " + n);
    }
    this.iterations = n;
    return this;
  }

  public int maxEpochs() {
    return maxEpochs;
  }

  @Override
  public String kind() {
    return "hyperband";
  }

  /** Brackets per iteration: how often {@code maxEpochs} divides by the factor down to 1, plus 1. */
  public int bracketCount() {
    double epochs = maxEpochs;
    int n = 0;
    while (epochs >= 1) {
      epochs /= factor;
      n++;
    }
    return n;
  }

  /** Trials in round {@code round} of bracket {@code bracket}. */
  public int size(int bracket, int round) {
    double end0 = Math.ceil(1 + Math.log(maxEpochs) / Math.log(factor) - 1e-9);
    double end = end0 / (bracket + 1);
    return (int) Math.ceil(end * Math.pow(factor, bracket - round) - 1e-9);
  }

  /** Epochs trained to in round {@code round} of bracket {@code bracket}. */
  public int epochs(int bracket, int round) {
    return (int) Math.ceil(maxEpochs / Math.pow(factor, bracket - round) - 1e-9);
  }

  @Override
  protected Population populateSpace(String trialId) {
    if (currentBracket < 0) {
      currentBracket = bracketCount() - 1;
      brackets.add(new Bracket(currentBracket));
    }
    brackets.removeIf(b -> b.rounds.get(b.num).size() == size(b.num, b.num));
    for (Bracket b : brackets) {
      if (b.rounds.get(0).size() < size(b.num, 0)) {
        return randomTrial(trialId, b);
      }
      for (int r = 1; r < b.rounds.size(); r++) {
        Population p = promote(trialId, b, r);
        if (p != null) {
          return p;
        }
      }
    }
    if (currentBracket == 0 && currentIteration + 1 >= iterations) {
      if (!ongoing.isEmpty()) {
        return Population.idle();
      }
      return Population.stop();
    }
    currentBracket--;
    if (currentBracket < 0) {
      currentBracket = bracketCount() - 1;
      currentIteration++;
    }
    Bracket b = new Bracket(currentBracket);
    brackets.add(b);
    return randomTrial(trialId, b);
  }

  /** The best completed trial of round r - 1 not yet promoted, once enough have completed. */
  private Population promote(String trialId, Bracket b, int r) {
    List<String[]> round = b.rounds.get(r);
    List<String[]> past = b.rounds.get(r - 1);
    int size = size(b.num, r);
    int pastSize = size(b.num, r - 1);
    if (round.size() >= size) {
      return null;
    }
    List<String> selected = new ArrayList<>();
    for (String[] info : round) {
      selected.add(info[0]);
    }
    List<Trial> candidates = new ArrayList<>();
    for (String[] info : past) {
      Trial t = trials.get(info[1]);
      if (!selected.contains(info[1]) && t.status == TrialStatus.COMPLETED && t.score != null) {
        candidates.add(t);
      }
    }
    if (candidates.size() <= pastSize - size) {
      return null;
    }
    Trial best = candidates.get(0);
    for (Trial t : candidates) {
      if (objective.better(t.score, best.score)) {
        best = t;
      }
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : best.hyperparameters().values().entrySet()) {
      if (!e.getKey().startsWith("tuner/")) {
        values.put(e.getKey(), e.getValue());
      }
    }
    values.put(TRIAL_ID, best.id());
    values.put(EPOCHS, epochs(b.num, r));
    values.put(INITIAL_EPOCH, epochs(b.num, r - 1));
    values.put(BRACKET, b.num);
    values.put(ROUND, r);
    round.add(new String[] {best.id(), trialId});
    return Population.run(values);
  }

  private Population randomTrial(String trialId, Bracket b) {
    Map<String, Object> values = randomValues();
    if (values == null) {
      return ongoing.isEmpty() ? Population.stop() : Population.idle();
    }
    values.put(EPOCHS, epochs(b.num, 0));
    values.put(INITIAL_EPOCH, 0);
    values.put(BRACKET, b.num);
    values.put(ROUND, 0);
    b.rounds.get(0).add(new String[] {null, trialId});
    return Population.run(values);
  }

  @Override
  protected void putState(Map<String, Object> state) {
    state.put("max_epochs", maxEpochs);
    state.put("factor", factor);
    state.put("hyperband_iterations", iterations);
    state.put("current_bracket", currentBracket);
    state.put("current_iteration", currentIteration);
    List<Object> bs = new ArrayList<>();
    for (Bracket b : brackets) {
      List<Object> rounds = new ArrayList<>();
      for (List<String[]> round : b.rounds) {
        List<Object> infos = new ArrayList<>();
        for (String[] info : round) {
          Map<String, Object> i = new LinkedHashMap<>();
          i.put("past_id", info[0]);
          i.put("id", info[1]);
          infos.add(i);
        }
        rounds.add(infos);
      }
      Map<String, Object> bm = new LinkedHashMap<>();
      bm.put("bracket_num", b.num);
      bm.put("rounds", rounds);
      bs.add(bm);
    }
    state.put("brackets", bs);
  }

  @Override
  protected void readState(Map<String, Object> s, String where) {
    maxEpochs = JsonValues.integer(s.get("max_epochs"), where + ".max_epochs");
    factor = JsonValues.integer(s.get("factor"), where + ".factor");
    iterations = JsonValues.integer(s.get("hyperband_iterations"), where
        + ".hyperband_iterations");
    currentBracket = JsonValues.integer(s.get("current_bracket"), where + ".current_bracket");
    currentIteration = JsonValues.integer(s.get("current_iteration"), where
        + ".current_iteration");
    brackets.clear();
    List<Object> bs = JsonValues.list(s.get("brackets"), where + ".brackets");
    for (int i = 0; i < bs.size(); i++) {
      String w = where + ".brackets[" + i + "]";
      Map<String, Object> bm = JsonValues.map(bs.get(i), w);
      Bracket b = new Bracket(JsonValues.integer(bm.get("bracket_num"), w + ".bracket_num"));
      List<Object> rounds = JsonValues.list(bm.get("rounds"), w + ".rounds");
      for (int r = 0; r < rounds.size() && r < b.rounds.size(); r++) {
        for (Object o : JsonValues.list(rounds.get(r), w + ".rounds[" + r + "]")) {
          Map<String, Object> info = JsonValues.map(o, w + ".rounds[" + r + "]");
          Object past = info.get("past_id");
          b.rounds.get(r).add(new String[] {past == null ? null : String.valueOf(past),
              String.valueOf(info.get("id"))});
        }
      }
      brackets.add(b);
    }
  }
}
