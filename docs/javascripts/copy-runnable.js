/*
 * The copy button on a Python console (pycon) block copies runnable code only; on a shell
 * session (console) block, the commands only.
 *
 * Material's copy button is a ClipboardJS trigger that copies the button's
 * data-clipboard-text when it has one (otherwise the code's innerText, prompts and outputs
 * included, with trailing blank lines trimmed). Just before the click reaches ClipboardJS,
 * this sets that attribute to the block's code: the lines that start with a ">>> " or
 * "... " prompt (Pygments class gp; pymdownx.highlight's line_spans makes each line its own
 * span), prompts removed, continuation lines kept, output and traceback lines dropped. The
 * bare "..." that closes a compound statement becomes the blank line the interactive
 * interpreter needs, and the text ends with a newline, so the paste runs to its end. A shell
 * session's "$ " prompts are Pygments gp spans too: its commands are copied the same way.
 * tests/browser/test_copy.py pastes every copied block into a real python3.
 */
(function () {
  "use strict";

  function runnableCode(code) {
    const lines = [];
    for (const line of code.children) {
      const prompt = line.querySelector(".gp");
      if (!prompt) continue; // an output or traceback line
      const text = line.textContent.replace(/\n$/, "");
      lines.push(text.slice(text.indexOf(prompt.textContent) + prompt.textContent.length));
    }
    return lines.join("\n") + "\n";
  }

  document.addEventListener(
    "click",
    function (event) {
      const button = event.target.closest && event.target.closest("[data-md-type=copy]");
      const block = button && button.closest(".language-pycon, .language-console");
      const code = block && block.querySelector("code");
      if (code) button.setAttribute("data-clipboard-text", runnableCode(code));
    },
    true, // capture: runs before ClipboardJS's own click handler reads the attribute
  );
})();
