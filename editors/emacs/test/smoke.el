;;; smoke.el --- Headless smoke test: archive-lsp through eglot + flymake  -*- lexical-binding: t; -*-

;; emacs --batch -Q -l editors/emacs/test/smoke.el
;;
;; Environment: ARCHIVE_LSP_BIN (server binary, default
;; <repo>/target/release/archive-lsp), CORPUS_DIR (default
;; <repo>/../shared/corpus).  Prints PASS/FAIL lines and
;; `emacs: N passed, N failed'; exits 1 on failure.

;;; Code:

(require 'cl-lib)

(defvar smoke-repo
  (or (getenv "ARCHIVE_LSP_REPO")
      (expand-file-name "../../.." (file-name-directory (or load-file-name buffer-file-name)))))
(defvar smoke-bin (or (getenv "ARCHIVE_LSP_BIN")
                      (expand-file-name "target/release/archive-lsp" smoke-repo)))
(defvar smoke-corpus (or (getenv "CORPUS_DIR")
                         (expand-file-name "../shared/corpus" smoke-repo)))
(defvar smoke-seed (expand-file-name "seeds/000_0d759123a74baf35.txt" smoke-repo))
(defvar smoke-timeout (string-to-number (or (getenv "ARCHIVE_LSP_TEST_TIMEOUT") "20")))
(defvar smoke-passed 0)
(defvar smoke-failed 0)
(defvar smoke-skipped 0)

(defun smoke-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun smoke-check (name ok &optional detail)
  (if ok
      (progn (cl-incf smoke-passed) (smoke-out "PASS  %s" name))
    (cl-incf smoke-failed)
    (smoke-out "FAIL  %s%s" name (if detail (concat "  -- " (format "%s" detail)) "")))
  ok)

(defun smoke-finish ()
  (smoke-out "emacs: %d passed, %d failed, %d skipped" smoke-passed smoke-failed smoke-skipped)
  (kill-emacs (if (> smoke-failed 0) 1 0)))

(defun smoke-wait (pred)
  "Run timers, process output and command hooks until PRED or the timeout."
  (let ((deadline (+ (float-time) smoke-timeout)) result)
    (while (and (not (setq result (funcall pred))) (< (float-time) deadline))
      ;; Batch Emacs runs no command loop: run what it would after a command
      ;; (eglot-ensure and flymake's deferred start wait for post-command-hook).
      (run-hooks 'post-command-hook)
      (accept-process-output nil 0.05))
    result))

;; Hard timeout for the whole run.
(run-at-time 300 nil (lambda () (smoke-check "hard timeout (300 s)" nil) (smoke-finish)))

;;; Load eglot as Debian's elpa-eglot installs it, then archive-lsp.el as the README says.
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(require 'package)
(package-initialize)
(require 'eglot)
(require 'flymake)

(add-to-list 'load-path (expand-file-name "editors/emacs" smoke-repo))
(require 'archive-lsp)
(setq archive-lsp-command (list smoke-bin))
(add-hook 'archive-doc-mode-hook #'eglot-ensure)
(setq eglot-send-changes-idle-time 0.1)

(smoke-out "archive-lsp Emacs smoke test: Emacs %s, eglot %s, server %s"
           emacs-version
           (or (ignore-errors (package-version-join (package-desc-version (cadr (assq 'eglot package-alist))))) "?")
           smoke-bin)

(unless (file-executable-p smoke-bin)
  (smoke-check "server binary is executable" nil smoke-bin)
  (smoke-finish))

(defun smoke-diags ()
  "Flymake diagnostics of the current buffer as (LINE . TEXT), sorted."
  (sort (mapcar (lambda (d)
                  (cons (line-number-at-pos (flymake-diagnostic-beg d))
                        (flymake-diagnostic-text d)))
                (flymake-diagnostics))
        (lambda (a b) (< (car a) (car b)))))

(defun smoke-has (code line)
  (cl-some (lambda (d) (and (= (car d) line)
                            (string-match-p (regexp-quote (format "archive-lsp [%s]" code)) (cdr d))))
           (smoke-diags)))

;;; 1. Detection
(condition-case err
(let ((tmp (make-temp-file "archive-lsp-emacs" t)))
  (with-current-buffer (find-file-noselect smoke-seed)
    (smoke-check "seed .txt opens in archive-doc-mode" (eq major-mode 'archive-doc-mode) major-mode))
  (let ((corpus-file (let ((f (expand-file-name "1946.08_1946-08-03_防止泼冷水.md" smoke-corpus)))
                       (cond ((file-exists-p f) f)
                             ((file-directory-p smoke-corpus)
                              (car (directory-files smoke-corpus t "\\.md\\'")))))))
    (if (not corpus-file)
        (progn (cl-incf smoke-skipped) (smoke-out "SKIP  corpus .md  -- no corpus at %s" smoke-corpus))
      (with-current-buffer (find-file-noselect corpus-file)
        (smoke-check "corpus .md opens in archive-doc-mode (content detection)"
                     (eq major-mode 'archive-doc-mode) major-mode))))
  (let ((mmd (expand-file-name "notes.md" tmp)))
    (with-temp-file mmd (insert "Title: Meeting notes\n\nJust Markdown.\n"))
    (with-current-buffer (find-file-noselect mmd)
      (smoke-check "MultiMarkdown .md starting with Title: is not archive-doc-mode"
                   (not (eq major-mode 'archive-doc-mode)) major-mode)))

  ;;; 2. The faulty file: header Date changed -> date-mismatch on line 3 (1-based).
  (let ((faulty (expand-file-name "faulty.txt" tmp)))
    (with-temp-file faulty
      (insert-file-contents smoke-seed)
      (goto-char (point-min))
      (re-search-forward "^Date: 1952-08-03$")
      (replace-match "Date: 1953-01-15"))
    (set-buffer (find-file-noselect faulty))
    (switch-to-buffer (current-buffer))
    (smoke-check "faulty .txt opens in archive-doc-mode" (eq major-mode 'archive-doc-mode) major-mode)
    (smoke-check "eglot connects (eglot-ensure from archive-doc-mode-hook, no git root)"
                 (smoke-wait (lambda () (and (eglot-current-server) eglot--managed-mode)))
                 (with-current-buffer (get-buffer-create "*Messages*") (buffer-string)))
    (when (eglot-current-server)
      (smoke-check "eglot language id is archive"
                   (equal (eglot--language-id (eglot-current-server)) "archive")
                   (eglot--language-id (eglot-current-server)))
      (smoke-check "flymake is on" (bound-and-true-p flymake-mode))
      (smoke-check "flymake diagnostic archive-lsp [date-mismatch] arrives on line 3"
                   (smoke-wait (lambda () (smoke-has "date-mismatch" 3)))
                   (smoke-diags))
      (smoke-out "      diagnostics: %S" (smoke-diags))
      ;; Fix it in the buffer: the diagnostic goes away.
      (goto-char (point-min))
      (forward-line 2)
      (delete-region (line-beginning-position) (line-end-position))
      (insert "Date: 1952-08-03")
      (smoke-check "fixing Date in the buffer clears the diagnostics"
                   (smoke-wait (lambda () (null (smoke-diags))))
                   (smoke-diags))
      ;; Hover on an original paragraph (line 27, 1-based) shows its translation.
      (goto-char (point-min))
      (forward-line 26)
      (skip-chars-forward " ")
      (forward-char 1)
      (let* ((hover (ignore-errors
                      (jsonrpc-request (eglot-current-server) :textDocument/hover
                                       (eglot--TextDocumentPositionParams))))
             (contents (plist-get hover :contents))
             (text (cond ((stringp contents) contents)
                         ((plist-get contents :value))
                         (t (format "%S" contents)))))
        (smoke-check "hover on original line 27 shows \"Translation ¶2 of 4\""
                     (and text (string-match-p "Translation ¶2 of 4" text))
                     text)))))
  (error (smoke-check "test ran without a Lisp error" nil err)))

(smoke-finish)

;;; smoke.el ends here
