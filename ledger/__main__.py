from ledger.cli.launch import main

main()
