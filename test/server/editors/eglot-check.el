;; Headless check of the Eglot setup in docs/editors.md (run by run.sh).
;; Debian packages elpa-eglot outside package.el: put them on the load path first.
(dolist (d (directory-files "/usr/share/emacs/site-lisp/elpa" t "^[a-z]")) (add-to-list (quote load-path) d))
(require 'eglot)
;; --- the configuration from docs/editors.md (Emacs 28: conf-toml-mode) ---
(define-derived-mode z6-mode conf-toml-mode "Z6"
  "Major mode for Z6 load-test scenarios (*.z6.toml).")
(add-to-list 'auto-mode-alist '("\\.z6\\.toml\\'" . z6-mode))
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs '(z6-mode . ("z6-language-server" "--stdio"))))
(add-hook 'z6-mode-hook #'eglot-ensure)
;; --- the check ---
(find-file (getenv "Z6_SCENARIO"))
(message "MODE: %s" major-mode)
(run-hooks 'post-command-hook)          ; batch mode has no command loop: let eglot-ensure connect
(let ((deadline (+ (float-time) 20)))
  (while (and (< (float-time) deadline) (not (eglot-current-server))) (accept-process-output nil 0.1)))
(message "SERVER: %S" (and (eglot-current-server) (plist-get (eglot--server-info (eglot-current-server)) :name)))
(flymake-start)
(let ((deadline (+ (float-time) 20)))
  (while (and (< (float-time) deadline) (null (flymake-diagnostics))) (accept-process-output nil 0.1) (flymake-start)))
(message "DIAGNOSTICS: %S" (mapcar (lambda (d) (list (line-number-at-pos (flymake-diagnostic-beg d)) (flymake-diagnostic-text d))) (flymake-diagnostics)))
(goto-char (point-max))
(let* ((capf (eglot-completion-at-point)) (cands (and capf (all-completions "" (nth 2 capf)))))
  (message "COMPLETIONS: %S" (mapcar (function substring-no-properties) cands)))
(kill-emacs 0)
