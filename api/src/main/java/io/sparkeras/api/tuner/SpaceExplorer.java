package io.sparkeras.api.tuner;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Discovers a search space by running the build function, as KerasTuner's
 * {@code _populate_initial_space}: build with the defaults, add what was asked for to the
 * oracle's space, and while some conditional scope was only ever entered inactive, build again
 * with its parent set to a value that activates it. Every branch's parameters are then known
 * before the first trial (Bayesian optimization and grids need the whole space).
 *
 * <pre>{@code
 * SpaceExplorer.populate(hp -> hypermodel.build(hp), oracle);
 * }</pre>
 */
public final class SpaceExplorer {
  /** Builds with more than this many different activations are cut short (a runaway space). */
  static final int MAX_BUILDS = 100;

  private SpaceExplorer() {}

  /** Runs {@code build} until every conditional scope was active once; grows oracle's space. */
  public static void populate(Consumer<HyperParameters> build, Oracle oracle) {
    List<List<Condition>> neverActive = new ArrayList<>();
    List<List<Condition>> onceActive = new ArrayList<>();
    HyperParameters hp = oracle.space();
    hp.ensureActiveValues();
    for (int builds = 0; builds < MAX_BUILDS; builds++) {
      build.accept(hp);
      oracle.updateSpace(hp);
      for (List<Condition> c : hp.activeScopes()) {
        if (!onceActive.contains(c)) {
          onceActive.add(c);
        }
        neverActive.remove(c);
      }
      for (List<Condition> c : hp.inactiveScopes()) {
        if (!onceActive.contains(c) && !neverActive.contains(c)) {
          neverActive.add(c);
        }
      }
      if (neverActive.isEmpty()) {
        return;
      }
      List<Condition> next = neverActive.remove(0);
      onceActive.add(next);
      hp = oracle.space();
      for (Condition c : next) {
        hp.put(c.parent(), c.values().get(0));
      }
      hp.ensureActiveValues();
      for (Condition c : next) {
        hp.put(c.parent(), c.values().get(0));
      }
    }
  }
}
