"""LaTeX mappers on Data-Juicer's own sample document."""
from tests.ops._mapper_helpers import assert_cases

DOC = ("%%\n%% This is file `sample-sigconf.tex',\n%% The first command in your LaTeX source must be "
       "the \\documentclass command.\n\\documentclass[sigconf,review,anonymous]{acmart}\n%% NOTE that "
       "a single column version is required for \n%% submission and peer review. This can be done by "
       "changing\n\\input{math_commands.tex}\n%% end of file `sample-sigconf.tex'.\n"
       "\\bibliographystyle{ACM-Reference-Format}\n\\bibliography{sample-base}\n\\appendix\n"
       "\\section{Research Methods}\n")
NO_COMMENTS = ("\\documentclass[sigconf,review,anonymous]{acmart}\n\\input{math_commands.tex}\n"
               "\\bibliographystyle{ACM-Reference-Format}\n\\bibliography{sample-base}\n\\appendix\n"
               "\\section{Research Methods}\n")


def test_remove_bibliography():
    assert_cases("remove_bibliography_mapper", None, [
        (DOC, DOC[:DOC.index("\\bibliography{")]),
        ("Body\n\\begin{thebibliography}{9}\n\\bibitem{a} A.\n\\end{thebibliography}", "Body\n"),
        ("Body\n\\begin{references}\nx", "Body\n"),
        ("no refs", "no refs"),
    ])


def test_remove_comments():
    assert_cases("remove_comments_mapper", {"doc_type": "tex"}, [(DOC, NO_COMMENTS)])
    assert_cases("remove_comments_mapper", None, [("a % b\n\\% kept % gone", "a\n\\% kept")])
    assert_cases("remove_comments_mapper", {"inline": False}, [("% x\na % b", "a % b")])
    assert_cases("remove_comments_mapper", {"multiline": False}, [("% x\na % b", "% x\na")])


def test_remove_header():
    assert_cases("remove_header_mapper", {"drop_no_head": False}, [
        (DOC, "\\section{Research Methods}\n"),
        (NO_COMMENTS, "\\section{Research Methods}\n"),
        ("\\documentclass{a}\n\\appendix\n%% note\n\\subsection{Research Methods}\n",
         "\\subsection{Research Methods}\n"),
        ("\\documentclass{a}\n\\subsubsection{Research Methods}\n\\section{B}",
         "\\subsubsection{Research Methods}\n\\section{B}"),
        ("\\chapter*[short]{Long}\nbody", "\\chapter*[short]{Long}\nbody"),
        ("no header here", "no header here"),
    ])
    assert_cases("remove_header_mapper", None, [("no header here", ""), ("x\\part{P}y", "\\part{P}y")])


def test_expand_macro():
    text = ("\\documentclass{article}\n\\usepackage{hyperref}\n"
            "\\newcommand{\\theHalgorithm}{\\arabic{algorithm}}\n"
            "\\def\\ours{Juicebox}\n\\ours{} works; \\oursx stays; see \\theHalgorithm.\n\\ours")
    target = ("\\documentclass{article}\n\\usepackage{hyperref}\n"
              "\\newcommand{\\arabic{algorithm}}{\\arabic{algorithm}}\n"
              "\\defJuicebox{Juicebox}\nJuicebox{} works; \\oursx stays; see \\arabic{algorithm}.\n\\ours")
    assert_cases("expand_macro_mapper", None, [(text, target), ("plain", "plain"), ("", "")])


def test_expand_macro_non_ascii_value():
    assert_cases("expand_macro_mapper", None, [("\\def\\n{é\\1}\n\\n.", "\\defé\\1{é\\1}\né\\1.")])
