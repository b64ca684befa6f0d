/*
 * The copy button on a Python console (pycon) block copies runnable code only; on a shell
 * session (console) block, the commands only.
 *
 * Material's copy button is a ClipboardJS trigger that copies the button's
 * data-clipboard-text when it has one (otherwise the code's innerText, prompts and outputs
 * included). Just before the click reaches ClipboardJS, this sets that attribute to the
 * block's code: the lines that start with a ">>> " or "... " prompt (Pygments wraps each
 * prompt in a span of class gp), prompts removed, continuation lines kept, output and
 * traceback lines dropped. The bare "..." that closes a compound statement becomes the blank
 * line the interactive interpreter needs, and the text ends with a newline, so the paste
 * runs to its end. A shell session's "$ " prompts are gp spans too: its commands are copied
 * the same way. tests/browser/test_copy.py pastes every copied block into a real python3.
 */
(function () {
  "use strict";

  function runnableCode(code) {
    const lines = [{ text: "", prompted: false }];
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const inPrompt = node.parentElement.closest(".gp") !== null;
      node.data.split("\n").forEach(function (part, index) {
        if (index > 0) lines.push({ text: "", prompted: false });
        const line = lines[lines.length - 1];
        if (inPrompt && line.text === "" && !line.prompted) line.prompted = true;
        else line.text += part;
      });
    }
    const codeLines = lines.filter((line) => line.prompted).map((line) => line.text);
    return codeLines.join("\n") + "\n";
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
