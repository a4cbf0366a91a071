package dev.freshet.model;

import java.util.Objects;

/**
 * One training instance: the user's context just before a click, and the clicked item as target.
 *
 * @param context the user context (features and the window of earlier clicks)
 * @param target the clicked item; its id must be non-null
 */
public record Instance(UserContext context, Item target) {

  public Instance {
    Objects.requireNonNull(context, "context");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(target.itemId(), "target.itemId");
  }
}
