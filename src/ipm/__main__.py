from ipm.cli import main

main()
