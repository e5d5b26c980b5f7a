from papercast.cli import main

main()
