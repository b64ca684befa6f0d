/*
 * The reasoning under a quiz question (the collapsed block that follows each mkdocs-quiz
 * <div class="quiz">) explains every option, so it gives the answer away. layout.css keeps
 * it out of view until the question is answered right; this script then shows it, open, and
 * hides it again when the reader presses "Try Again". A wrong answer shows only the chosen
 * option's feedback (mkdocs-quiz, show_correct: false), so the retry still tests something.
 *
 * mkdocs-quiz marks the outcome in the question's feedback box: an item of class "correct"
 * or "incorrect", and the box loses its "hidden" class. That also happens when it restores
 * a saved answer on load, so the observer covers both.
 */
(function () {
  "use strict";
  const OPEN = "quiz-reasoning--open";

  function answeredRight(quiz) {
    const feedback = quiz.querySelector(".quiz-feedback");
    return (
      feedback !== null &&
      !feedback.classList.contains("hidden") &&
      feedback.querySelector(".quiz-feedback-item.correct") !== null &&
      feedback.querySelector(".quiz-feedback-item.incorrect") === null
    );
  }

  function sync(quiz, reasoning) {
    const right = answeredRight(quiz);
    if (right === reasoning.classList.contains(OPEN)) return;
    reasoning.classList.toggle(OPEN, right);
    reasoning.open = right;
  }

  document.querySelectorAll(".quiz").forEach(function (quiz) {
    const reasoning = quiz.nextElementSibling;
    if (!reasoning || reasoning.tagName !== "DETAILS") return;
    sync(quiz, reasoning);
    new MutationObserver(function () {
      sync(quiz, reasoning);
    }).observe(quiz, { subtree: true, childList: true, attributes: true });
  });
})();
