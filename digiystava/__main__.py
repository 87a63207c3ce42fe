from digiystava.cli import main

raise SystemExit(main())
