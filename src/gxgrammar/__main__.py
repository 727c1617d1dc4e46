from gxgrammar.cli import main

main()
