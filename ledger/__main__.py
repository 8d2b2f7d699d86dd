from ledger.launch import main

main()
