package dev.freshet.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freshet.model.CandidateModel;
import dev.freshet.model.Item;
import dev.freshet.model.UserContext;
import dev.freshet.streams.retrieval.HnswConfig;
import dev.freshet.streams.serving.ServingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ServingModelTest {

  private static List<UserContext> users(int n) {
    List<UserContext> out = new ArrayList<>();
    for (int u = 0; u < n; u++) {
      List<Item> window = new ArrayList<>();
      for (int t = 0; t < u % 6; t++) {
        int v = (u * 7 + t) % 12;
        window.add(new Item("v" + v, "cat" + v % 3, List.of("t" + v)));
      }
      out.add(new UserContext("u" + u % 9, "p", "c", "ph", window));
    }
    return out;
  }

  /** An empty exclusion set per user. */
  private static List<Set<String>> noExclusions(List<UserContext> users) {
    List<Set<String>> none = new ArrayList<>();
    users.forEach(u -> none.add(Set.of()));
    return none;
  }

  @Test
  void shouldScoreEveryUserOfALargeBatchExactlyAsIfItWereAlone() {
    CandidateModel trained = TestSnapshots.trained(12);
    try (ServingModel serving = new ServingModel(1000)) {
      TestSnapshots.publish(trained, serving, 1);
      List<UserContext> users = users(100);
      List<Set<String>> exclude = new ArrayList<>();
      for (int i = 0; i < users.size(); i++) {
        exclude.add(i % 2 == 0 ? Set.of() : Set.of("v" + i % 12));
      }

      ServingModel.Batch batch = serving.score(users, exclude, 5).orElseThrow();

      assertEquals(1, batch.version());
      assertEquals(users.size(), batch.users().size());
      for (int i = 0; i < users.size(); i++) {
        ServingModel.Batch alone =
            serving.score(List.of(users.get(i)), List.of(exclude.get(i)), 5).orElseThrow();
        ServingModel.Scored expected = alone.users().get(0);
        ServingModel.Scored actual = batch.users().get(i);
        assertArrayEquals(expected.userVector(), actual.userVector(), "user " + i);
        assertEquals(expected.items(), actual.items(), "user " + i);
        assertEquals(5, actual.items().size());
        for (var item : actual.items()) {
          assertTrue(!exclude.get(i).contains(item.itemId()), "excluded item returned");
        }
      }
    }
  }

  @Test
  void shouldComputeTheTrainersUserVectors() {
    CandidateModel trained = TestSnapshots.trained(12);
    try (ServingModel serving = new ServingModel(1000)) {
      TestSnapshots.publish(trained, serving, 1);
      List<UserContext> users = users(40);
      List<Set<String>> none = noExclusions(users);

      ServingModel.Batch batch = serving.score(users, none, 3).orElseThrow();

      for (int i = 0; i < users.size(); i++) {
        float[] expected = trained.userVectors(List.of(users.get(i)))[0];
        assertArrayEquals(expected, batch.users().get(i).userVector(), 1e-6f, "user " + i);
      }
    }
  }

  @Test
  void shouldScoreTheSameBitsWithTheTowersCacheOfInputRowsAsWithoutItAcrossSnapshots() {
    CandidateModel trained = TestSnapshots.trained(12);
    try (ServingModel cached = new ServingModel(1000, HnswConfig.defaults(), 1024);
        ServingModel uncached = new ServingModel(1000, HnswConfig.defaults(), 0)) {
      List<UserContext> users = users(60);
      List<Set<String>> none = noExclusions(users);
      for (long version = 1; version <= 3; version++) {
        if (version > 1) {
          TestSnapshots.trainMore(trained, 1000L * version);
        }
        TestSnapshots.publish(trained, version, cached, uncached);
        for (int round = 0; round < 2; round++) {
          ServingModel.Batch want = uncached.score(users, none, 5).orElseThrow();
          ServingModel.Batch got = cached.score(users, none, 5).orElseThrow();
          assertEquals(version, got.version());
          for (int i = 0; i < users.size(); i++) {
            assertArrayEquals(
                want.users().get(i).userVector(),
                got.users().get(i).userVector(),
                "version " + version + ", user " + i);
            assertEquals(want.users().get(i).items(), got.users().get(i).items());
          }
        }
      }
      assertTrue(cached.projections().hits() > 0, "hits");
      assertTrue(cached.projections().misses() > 0, "misses");
      assertEquals(0, uncached.projections().hits() + uncached.projections().misses());
    }
  }

  @Test
  void shouldHandEveryUserToTheSinkInOrderOnTheCallingThreadAsTheBatchScoresThem() {
    CandidateModel trained = TestSnapshots.trained(12);
    try (ServingModel serving = new ServingModel(1000)) {
      List<UserContext> users = users(300);
      List<Set<String>> none = noExclusions(users);
      List<Integer> order = new ArrayList<>();
      Set<Thread> threads = new java.util.HashSet<>();
      assertTrue(!serving.score(users, none, 3, (i, v, s) -> order.add(i)), "no snapshot yet");
      assertTrue(order.isEmpty());

      TestSnapshots.publish(trained, serving, 2);
      ServingModel.Batch whole = serving.score(users, none, 3).orElseThrow();
      List<ServingModel.Scored> handed = new ArrayList<>();
      boolean scored =
          serving.score(
              users,
              none,
              3,
              (i, v, s) -> {
                order.add(i);
                threads.add(Thread.currentThread());
                assertEquals(2, v);
                handed.add(s);
              });

      assertTrue(scored);
      assertEquals(java.util.stream.IntStream.range(0, 300).boxed().toList(), order);
      assertEquals(Set.of(Thread.currentThread()), threads);
      for (int i = 0; i < users.size(); i++) {
        assertArrayEquals(whole.users().get(i).userVector(), handed.get(i).userVector());
        assertEquals(whole.users().get(i).items(), handed.get(i).items());
      }
    }
  }

  @Test
  void shouldStopHandingOnUsersWhenTheSinkFailsAndRethrowItsError() {
    CandidateModel trained = TestSnapshots.trained(12);
    try (ServingModel serving = new ServingModel(1000)) {
      TestSnapshots.publish(trained, serving, 1);
      List<UserContext> users = users(200);
      List<Set<String>> none = noExclusions(users);
      List<Integer> handed = new ArrayList<>();
      IllegalStateException thrown =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalStateException.class,
              () ->
                  serving.score(
                      users,
                      none,
                      3,
                      (i, v, s) -> {
                        if (i == 57) {
                          throw new IllegalStateException("sink failed at 57");
                        }
                        handed.add(i);
                      }));
      assertEquals("sink failed at 57", thrown.getMessage());
      assertEquals(java.util.stream.IntStream.range(0, 57).boxed().toList(), handed);
      // The model still serves the next batch.
      assertEquals(200, serving.score(users, none, 3).orElseThrow().users().size());
    }
  }

  @Test
  void shouldReportAVersionIndexedOnlyOnceItsItemsAreInTheIndex() {
    CandidateModel trained = TestSnapshots.trained(12);
    try (ServingModel serving = new ServingModel(1000)) {
      assertEquals(-1, serving.indexedVersion());
      TestSnapshots.publish(trained, serving, 4);
      assertEquals(4, serving.indexedVersion());
      assertEquals(serving.version(), serving.indexedVersion());
      assertEquals(12, serving.items());
    }
  }
}
