package dev.freshet.system;

import java.util.HashMap;
import java.util.Map;

/**
 * The trainer settings of a small network, set in full so the system tests do not move with the
 * model's defaults: a few thousand clicks of a few dozen videos train it in seconds.
 */
final class SmallModel {

  private SmallModel() {}

  /** {@code model.*} settings for a window of {@code window} clicks. */
  static Map<String, String> settings(int window) {
    Map<String, String> m = new HashMap<>();
    m.put("model.userDim", "4");
    m.put("model.provinceDim", "2");
    m.put("model.cityDim", "2");
    m.put("model.phoneDim", "2");
    m.put("model.itemDim", "16");
    m.put("model.categoryDim", "2");
    m.put("model.tagDim", "4");
    m.put("model.lstmHidden", "16");
    m.put("model.hiddenDim", "32");
    m.put("model.userVectorDim", "16");
    m.put("model.maxWindow", Integer.toString(window));
    m.put("model.featAppearLimit", "1");
    m.put("model.loss", "sampled_softmax");
    m.put("model.numNegatives", "10");
    m.put("model.sparseLearningRate", "0.1");
    m.put("model.denseLearningRate", "0.01");
    m.put("model.seed", "5");
    return m;
  }
}
